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
    感谢 { $donor } 以{ $type }的方式向社区共建实践金捐赠{ $kind ->
        [goods] 物资：{ $items }（估值 { $amount } 元）
       *[money] 人民币 { $amount } 元
    }。
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
    内容：{ $kind ->
        [goods] 物资：{ $items }（估值 { $amount } 元）
       *[money] 人民币 { $amount } 元
    }
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
fund-own-request = 这笔支出是你申请的，需要由其他监事会成员批准。
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
fund-statement-donor = · 第 { $number } 号 { $donor }：{ $kind ->
        [goods] 物资：{ $items }（估值 { $amount } 元）
       *[money] 人民币 { $amount } 元
    }
fund-statement-more = · 另有 { $count } 笔捐赠，可凭收据编号用 /fund 编号 查询
fund-statement-uses = 本月支出 { $count } 笔，合计 { $total } 元：
fund-statement-use = · { $use }：{ $amount } 元
fund-statement-project = · 项目 { $number }「{ $title }」：{ $amount } 元
fund-monthly-title = 【每月公示】

## Needs (治理需求清单)
fund-need-usage = 添加需求：/need 标题 | 范围（微网格名、网格名或“社区”） | 受益人数，例如 /need 老年助餐点 | 嘉木花园 | 60
fund-need-ask-title = 添加需求：请发来需求的标题（最多 100 个字）。发送 /cancel 放弃。
fund-need-ask-scope = 需求“{ $title }”涉及哪里？
fund-need-ask-people = 预计能帮到多少人？请发来一个整数。
fund-need-added = 已加入需求清单：需求第 { $number } 号。用 /project 把需求做成项目。
fund-scope-unknown = 没有叫“{ $name }”的微网格或网格；全社区请写“社区”。
fund-people-bad = 受益人数请写 0 到 1000000 之间的整数。
fund-title-bad = 标题不能为空，最多 { $limit } 个字。
fund-plan-bad = 计划不能为空，最多 { $limit } 个字。
fund-scope-community = 全社区
fund-need-card = <b>需求第 { $number } 号</b>：{ $title }
    范围：{ $scope }
    来源：{ $source }
fund-source-staff = 工作人员添加
fund-source-recurring = 同类诉求反复出现
fund-source-wish = 逾期无人认领的微心愿
fund-source-proposal = 已通过的议事提案
fund-need-proposed = 系统建议，请决定是否纳入需求清单。
fund-need-open = 已纳入需求清单
fund-need-dismissed = 未纳入需求清单
fund-need-in_project = 已做成项目
fund-btn-need-accept = 纳入需求清单
fund-btn-need-dismiss = 不纳入
fund-need-decided = 需求第 { $number } 号已经处理过了。
fund-needs-none = 需求清单是空的。用 /need 添加。
fund-needs-title = <b>需求清单</b>
fund-needs-line = { $number }. { $title }（{ $status }，受益 { $people } 人）
fund-need-unknown = 没有需求第 { $number } 号，请用 /needs 查看。
fund-need-not-open = 需求第 { $number } 号不在可立项的清单上（待决定、未纳入或已做成项目）。

## Projects (服务项目清单)
fund-project-usage = 立项：/project 需求编号 | 标题 | 预算（元） | 受益人数 | 计划，可再加 | 提案编号
    例如 /project 1,2 | 楼道照明改造 | 3000 | 120 | 更换 40 盏声控灯 | P-0001
fund-project-number-bad = 请写项目编号，例如 3。
fund-project-card = <b>项目第 { $number } 号</b>：{ $title }
    范围：{ $scope }
    预算：{ $budget } 元 · 受益 { $people } 人
    计划：{ $plan }
fund-project-proposal = 落实议事提案 { $label }：{ $title }
fund-take-up-claim = 认领单位：{ $by }
fund-take-up-purchase = 购买服务：{ $by }
fund-take-up-undertake = 承接：{ $by }
fund-project-open = 状态：已立项，等待认领、购买或承接
fund-project-taken = 状态：已落实承办方，待实施
fund-project-underway = 状态：实施中
fund-project-accepted = 状态：已验收
fund-project-done = 状态：已完成，成效已公示
fund-project-cancelled = 状态：已撤销
fund-stage-created = · 立项 { $date } { $actor }
fund-stage-claimed = · 认领 { $date } { $actor }
fund-stage-purchased = · 购买 { $date } { $actor }
fund-stage-undertaken = · 承接 { $date } { $actor }
fund-stage-underway = · 实施 { $date } { $actor }
fund-stage-accepted = · 验收 { $date } { $actor }
fund-stage-outcome = · 成效 { $date } { $actor }
fund-project-rated = 居民评价：{ $count } 人，平均 { $average } 星
fund-project-outcome = 成效：受益 { $helped } 人。{ $outcome }
fund-outcome-hint = 发送 /outcome { $number } 受益人数 | 成效说明 记录成效（可附照片）。
fund-btn-units = 交共建单位认领
fund-btn-undertake = 社区承接
fund-btn-partners = 向社会力量购买
fund-btn-claim = 🙋 认领
fund-btn-start = 开始实施
fund-btn-accept = 验收
fund-offered-to-units = 已把项目卡发给 { $count } 位共建单位联系人。
fund-no-unit-contacts = 本社区的共建单位还没有联系人，无法发出认领。
fund-pick-partner = 项目第 { $number } 号向哪家社会力量购买？
fund-project-had-taker = 项目第 { $number } 号已经有承办方了。
fund-project-stale = 项目第 { $number } 号已经不在这一步了，请看卡片上的最新状态。
fund-unit-contacts-only = 只有共建单位的联系人可以认领项目。
fund-project-doers-only = 只有社区工作人员或认领单位的联系人可以开始实施。
fund-proposal-not-passed = 提案 { $label } 还没有通过，不能据此立项。
fund-step-claim-done = 认领成功：项目第 { $number } 号由你们单位承办。
fund-step-undertake-done = 项目第 { $number } 号由社区承接。
fund-step-purchase-done = 项目第 { $number } 号已确定向社会力量购买。
fund-step-start-done = 项目第 { $number } 号开始实施。
fund-step-accept-done = 项目第 { $number } 号已验收，已请范围内居民评价。
fund-rate-residents-only = 只有项目范围内登记的居民可以评价。
fund-rated-already = 你已经评价过这个项目。
fund-rated-done = 谢谢你的评价！
fund-outcome-usage = 记录成效：/outcome 项目编号 受益人数 | 成效说明，例如 /outcome 1 120 | 40 盏灯全部更换，夜间出行更安全
fund-outcome-bad = 成效说明不能为空，最多 { $limit } 个字。
fund-outcome-done = 项目第 { $number } 号的成效已记录。
fund-projects-none = 还没有项目。
fund-projects-title = <b>项目清单</b>
fund-projects-line = { $number }. { $title }（{ $status }）

## Resources (共治资源清单) and agreements
fund-offer-usage = 提供资源：/offer 类型 | 内容 | 数量 | 截止日期（可省略），类型为 场地、人力、物资 或 资金。
    工作人员代为登记时先写单位名：/offer 区税务局 | 场地 | 会议室 | 每周 2 次
fund-offer-kind-bad = 资源类型请写 场地、人力、物资 或 资金。
fund-offerer-unknown = 没有叫“{ $name }”的共建单位或社会力量。
fund-offer-contacts-only = 只有共建单位的联系人或社区工作人员可以登记资源。
fund-offer-done = 已登记到资源清单：{ $description }（{ $quantity }）。谢谢！
fund-date-bad = 日期请写成 2026-12-31 这样的格式。
fund-agreement-usage = 登记共驻共建协议：/agreement 单位名 | 签订日期 | 到期日期，例如 /agreement 区税务局 | 2026-01-01 | 2027-01-01
fund-agreement-dates = 到期日期要晚于签订日期。
fund-agreement-done = 已登记 { $unit } 的共驻共建协议，到期日 { $ends }；到期前 30 天会提醒工作人员。
fund-agreement-reminder = ⏰ { $unit } 的共驻共建协议将于 { $ends } 到期，请及时联系续签。
fund-unit-projects = 认领项目：{ $projects }
fund-unit-resources = 本月提供资源：{ $resources }

## Help and menus
fund-help = 共建实践金：/fund 查看社区基金的余额、本月捐赠和支出（每一分钱都公开），/fund 编号 查看一张捐赠收据；/projects 查看项目清单。共建单位联系人可以用 /offer 提供资源，并在私信里认领项目。
fund-help-admin = 资源与基金：/donation 登记捐赠并出具感谢信，/disburse 申请支出（监事会批准后记账支付）；/need 添加需求，/needs 查看需求清单，/project 立项，/outcome 记录成效；/offer 代单位登记资源，/agreement 登记共驻共建协议。
cmd-fund = 社区基金公示
cmd-projects = 项目清单
cmd-donation = 登记捐赠
cmd-disburse = 申请基金支出
cmd-needs = 需求清单
cmd-project = 立项

## The workbench page
fund-web-nav = 基金
fund-web-balance = 当前余额 { $balance } 元，其中可自由支配 { $free } 元（其余为定向项目资金）。
fund-web-ledger = { $year } 年账目
fund-web-opening = 年初余额 { $amount } 元
fund-web-closing = 目前余额 { $amount } 元
fund-web-date = 时间
fund-web-number = 编号
fund-web-what = 类型或用途
fund-web-who = 捐赠人或收款人
fund-web-amount = 金额（元）
fund-web-running = 余额（元）
fund-web-approvers = 监事会批准
fund-web-pending = 等待监事会批准的支出
fund-web-budget = 预算（元）
fund-web-earmarked = 定向资金（元）
fund-web-status = 状态
fund-web-none = 暂无

## The guided /donation and /disburse
fund-donation-ask-amount = 登记捐赠：请发来捐赠金额（元），例如 500；捐的是物资就点“捐物资”。发送 /cancel 放弃。
fund-btn-goods = 捐物资
fund-donation-ask-items = 请发来捐赠的物品，例如“大米 10 袋”（最多 500 个字）。
fund-donation-ask-value = 这些物资估值多少元？例如 300。
fund-donation-ask-type = 请选择捐赠类型：
fund-donation-ask-donor = 捐赠人是谁？点选共建单位、社会力量或“匿名”；个人请发来姓名、房号或手机号，在登记的居民中查找。
fund-btn-anonymous = 匿名
fund-donor-found = 找到这些登记的居民，请点选；都不是就点最后一个按原样记录。
fund-donor-none-found = 没有找到登记的居民“{ $words }”。可以按原样记录，或重新发来姓名、房号或手机号。
fund-btn-as-typed = 按原样记录：{ $name }
fund-donation-ask-project = 这笔捐赠定向用于哪个项目？
fund-btn-no-project = 不定向
fund-no-project = 无
fund-no-live-projects = 现在没有可以定向的项目，请选择其他捐赠类型。
fund-donation-confirm = <b>请核对这笔捐赠</b>
    内容：{ $kind ->
        [goods] 物资：{ $items }（估值 { $amount } 元）
       *[money] 人民币 { $amount } 元
    }
    类型：{ $type }
    捐赠人：{ $donor }
    定向项目：{ $project }
fund-disburse-ask-amount = 申请支出：请发来支出金额（元），例如 800。发送 /cancel 放弃。
fund-disburse-ask-use = 请选择支出用途：
fund-disburse-ask-project = 用于哪个项目？
fund-disburse-ask-payee = 收款人是谁？请发来名称（最多 100 个字）。
fund-disburse-ask-photo = 请发来收据照片；没有就点“跳过”。
fund-btn-skip = 跳过
fund-disburse-confirm = <b>请核对这笔支出申请</b>
    金额：{ $amount } 元
    用途：{ $use }
    项目：{ $project }
    收款人：{ $payee }
    收据照片：{ $photo ->
        [yes] 有
       *[no] 无
    }
fund-btn-confirm = ✅ 确认
fund-btn-edit = 修改
fund-btn-flow-cancel = 取消
fund-flow-cancelled = 已取消，什么都没有登记。
fund-step-use-buttons = 这一步请点按钮选择。
fund-flow-donation-done = 已登记：第 { $number } 号捐赠。
fund-flow-disbursement-done = 已提交：第 { $number } 号支出申请，等待监事会批准。
fund-consent-by-donor = 是否公示姓名由捐赠人在自己收到的感谢信上决定。

## Cancelling a project (撤销) and its earmarked money
fund-btn-cancel = 撤销项目
fund-cancel-ask-reason = 撤销项目第 { $number } 号「{ $title }」：请发来撤销原因（最多 200 个字）。发送 /cancel 放弃。
fund-cancel-reason-bad = 撤销原因不能为空，最多 { $limit } 个字。
fund-cancel-confirm = 确定撤销项目第 { $number } 号「{ $title }」吗？
    原因：{ $reason }
    定向给它的资金不会自动挪用：撤销后仍记在这个项目名下，直到工作人员把它转为非定向资金。
fund-btn-cancel-yes = 确认撤销
fund-btn-keep = 不撤销
fund-cancel-kept = 好的，项目没有撤销。
fund-step-cancel-done = 项目第 { $number } 号已撤销。
fund-project-cancel-reason = 撤销原因：{ $reason }
fund-stage-cancelled = · 撤销 { $date } { $actor }
fund-project-cancelled-already = 项目第 { $number } 号已经撤销了。
fund-project-cancel-too-late = 项目第 { $number } 号已经验收，不能再撤销。
fund-project-earmarked-left = 仍有定向资金 { $amount } 元记在这个项目名下。
fund-btn-release = 转为非定向资金
fund-release-confirm = 把项目第 { $number } 号名下的定向资金 { $amount } 元转为非定向资金（可自由支配）吗？账目中会记下这笔调整和操作人。
fund-btn-release-yes = 确认转为非定向资金
fund-release-done = 已把 { $amount } 元转为非定向资金，账目已记录。
fund-redesignate-not-cancelled = 只有已撤销项目的定向资金可以转为非定向资金。
fund-redesignate-nothing = 项目第 { $number } 号名下已经没有定向资金了。
fund-web-redesignation = 定向资金转为非定向（项目 { $number }）
fund-web-release-done = 项目第 { $number } 号的定向资金已转为非定向资金，账目已记录。
