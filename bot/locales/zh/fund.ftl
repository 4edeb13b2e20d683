# The community fund (共建实践金 / 社区微基金), its board and its statement.

fund-register-first = 请先登记住址（发送 /start），再查看社区基金。
fund-staff-only = 只有本社区的工作人员可以登记捐赠或申请支出。
fund-usage = 发送 /fund 查看社区基金本月收支；发送 /fund 编号 查看一张捐赠收据，例如 /fund 3。
fund-footer = 每一分钱都公开：捐赠收据可凭编号查询（/fund 编号），每月账目发到居民群。
fund-anonymous = 爱心人士

## Amounts and names
fund-amount-bad = 金额请写成大于零的元数，最多两位小数，例如 500 或 12.50。
fund-amount-too-large = 这个金额太大了，单笔最多 { $most } 元；请核对后重新输入。
fund-donor-bad = 请写上捐赠人（单位名、姓名，或“匿名”），不超过 100 个字。
fund-payee-bad = 请写上收款人，不超过 100 个字。
fund-goods-bad = 请在“物资:”后写上捐赠的物品，不超过 500 个字。
fund-one-project = 一笔只能指定一个项目（#编号）。
fund-project-unknown = 没有编号为 { $number } 的项目，请用 /projects 查看项目清单。
fund-project-closed = 项目 { $number } 已取消，不能再定向捐赠。
fund-directed-needs-project = 定向捐要写明项目编号，例如 #1。
fund-use-needs-project = 用于项目的支出要写明项目编号，例如 #1。
fund-project-use-only = 只有用途为“项目”的支出可以写项目编号。
fund-money = 人民币 { $amount } 元
fund-goods = 物资：{ $items }（估值 { $amount } 元）

## Types and uses
fund-type-directed = 定向捐
fund-type-caring = 爱心捐
fund-type-public = 公益捐
fund-type-leading = 带头捐
fund-type-mutual = 互助捐
fund-use-emergency = 救急
fund-use-disaster = 救难
fund-use-hardship = 救困
fund-use-elderly = 扶老
fund-use-orphans = 扶孤
fund-use-public_good = 扶持公益
fund-use-award = 奖励
fund-use-project = 项目
fund-type-unknown = 捐赠类型请写其中之一：{ $types }。
fund-use-unknown = 支出用途请写其中之一：{ $uses }。
fund-project-ref = （项目 { $number }：{ $title }）

## Donations and receipts
fund-donation-usage = 登记捐赠：/donation 金额 类型 捐赠人，例如 /donation 500 爱心捐 区税务局。
    定向捐加项目编号：/donation 2000 定向捐 王先生 #1
    捐物资：/donation 300 爱心捐 好邻居超市 物资:大米 10 袋（300 为估值）
    捐赠人写“匿名”即不留名。
fund-receipt = <b>感谢信 · 收据第 { $number } 号</b>
    感谢 { $donor } 以{ $type }的方式向社区共建实践金捐赠{ $what }。
    日期：{ $date }
fund-earmarked = 定向用于项目 { $number }：{ $title }
fund-name-published = 捐赠人姓名可以在公示中显示。
fund-name-hidden = 公示中不显示捐赠人姓名，以“爱心人士”代替。
fund-btn-publish = 同意公示姓名
fund-btn-hide = 不公示姓名
fund-not-your-gift = 只有捐赠人的联系人或社区工作人员可以更改公示方式。
fund-anonymous-stays = 这是一笔匿名捐赠，没有可公示的姓名。
fund-receipt-unknown = 没有第 { $number } 号捐赠收据，请核对编号。
fund-public-receipt = <b>捐赠收据第 { $number } 号</b>
    捐赠人：{ $donor }
    类型：{ $type }
    内容：{ $what }
    日期：{ $date }
fund-donor-private = 捐赠人没有同意公开姓名，社区不能告诉你是谁。

## Disbursements and the board
fund-disburse-usage = 申请支出：/disburse 金额 用途 收款人，例如 /disburse 800 救急 3号楼困难家庭。
    用于项目：/disburse 1500 项目 施工队 #1
    可以把收据照片和这行字一起发送（作为照片说明）。
fund-no-board = 本社区还没有监事会成员（结构文件中的 fund: board），不能申请支出。
fund-not-enough = 可支配余额不足：这笔钱只能从 { $free } 元里出，请调整金额。
fund-disbursement-card = <b>支出申请第 { $number } 号</b>
    金额：{ $amount } 元
    用途：{ $use }
    收款人：{ $payee }
fund-approvals = 监事会批准：{ $count }/{ $needed }（{ $names }）
fund-status-pending = 状态：等待监事会批准
fund-status-paid = 状态：✅ 已支付
fund-status-withdrawn = 状态：已撤回
fund-btn-approve = ✅ 批准
fund-btn-withdraw = 撤回申请
fund-board-only = 只有本社区监事会成员可以批准支出。
fund-approved-already = 你已经批准过这笔支出。
fund-already-paid = 支出第 { $number } 号已经支付，无需再批准。
fund-withdrawn = 支出第 { $number } 号已经撤回。
fund-approved-done = 已批准，等待其他监事会成员。
fund-paid-done = 已批准，达到所需人数，这笔支出已支付并记账。
fund-withdrawn-done = 已撤回这笔支出申请。
fund-paid-notice = 支出第 { $number } 号（{ $amount } 元，收款人 { $payee }）已获监事会批准并记账支付。

## The statement (/fund and monthly)
fund-statement-title = <b>{ $community } 共建实践金 · { $month }</b>
    当前余额：{ $balance } 元
fund-statement-donations = 本月捐赠 { $count } 笔，现金合计 { $total } 元：
fund-statement-type = · { $type }：{ $amount } 元
fund-statement-donor = · 第 { $number } 号 { $donor }：{ $what }
fund-statement-uses = 本月支出 { $count } 笔，合计 { $total } 元：
fund-statement-use = · { $use }：{ $amount } 元
fund-statement-project = · 项目 { $number }「{ $title }」：{ $amount } 元
fund-monthly-title = 【每月公示】
