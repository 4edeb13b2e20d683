# Party members and partner units (双报到、亮身份、承诺践行), and 街道吹哨、部门报到.

party-badge = 🎖{ $name }

## Registering (/party)
party-register-first = 请先登记住址（发送 /start），再报到为党员。
party-choose-kind = <b>党员双报到</b>
    请选择你的身份：在职党员（在共建单位工作）或社区党员。社区确认后，你在卡片上会显示 🎖 党员标识。
party-btn-in-service = 🏢 在职党员
party-btn-community = 🏠 社区党员
party-choose-unit = 请选择你所在的共建单位：
party-no-units = 本社区还没有登记共建单位，请联系社区工作人员，或先以社区党员身份报到。
party-unit-gone = 这个共建单位已不在本社区名单中，请重新发送 /party 选择。
party-asked = 已提交党员报到，等待社区确认。确认后会私信通知你。
party-already-pending = 你的党员报到正在等待社区确认。
party-already-confirmed = 你已经是本社区确认的党员。
party-already-declined = 这份报到已经被退回。
party-already-left = 这份报到已经撤回。
party-you-are-pending = 你的党员报到（单位：{ $unit }）正在等待社区确认。
party-you-are-confirmed = 🎖 你是本社区确认的党员（单位：{ $unit }）。发送 /pledge 作出承诺，/pledges 查看践诺进度。
party-btn-leave = 退出党员身份
party-leave-ask = 确定要退出党员身份吗？退出后卡片上不再显示党员标识。
party-btn-leave-sure = 确定退出
party-left = 已退出党员身份。需要时可再次发送 /party 报到。
party-not-a-member = 你目前不是本社区登记的党员。

## The admins' card
party-review-card = <b>党员报到</b>：{ $name }
    身份：{ $kind }
    住址微网格：{ $micro_grid }
party-kind-in-service = 在职党员（{ $unit }）
party-kind-community = 社区党员
party-status-pending = 状态：待确认
party-status-confirmed = 状态：✅ 已确认
party-status-declined = 状态：⛔ 已退回
party-status-left = 状态：已退出
party-declined-reason = 退回原因：{ $reason }
party-btn-confirm = ✅ 确认
party-btn-decline = ⛔ 退回
party-admins-only = 只有本社区的管理员可以确认党员报到。
party-not-found = 找不到这份党员报到，可能已被撤回。
party-ask-reason = 请发送退回原因（一句话即可），申请人会收到。
party-reason-empty = 原因不能为空，请用一句话说明。
party-confirmed-done = 已确认。
party-declined-done = 已退回，并已告知申请人原因。
party-notice-confirmed = 🎖 你的党员报到已获社区确认。你认领、办结和签章的服务会显示党员标识；发送 /pledge 作出年度承诺。
party-notice-declined = 你的党员报到被退回：{ $reason }
    如有疑问请联系社区工作人员，也可以重新发送 /party 报到。

## 党员优先 wishes
party-offer-title = 🎖 <b>党员优先</b>：{ $until } 前仅本微网格党员可认领
party-offer-title-open = 🎖 <b>党员优先</b>心愿（现已向所有志愿者开放）
party-first-members-only = { $label } 是党员优先心愿，{ $until } 前只有本微网格确认的党员可以认领；之后所有志愿者都可认领。
party-first-other-grid = { $label } 是党员优先心愿，{ $until } 前只有本微网格的党员可以认领。
party-first-usage = 用法：/partyfirst 心愿编号，例如 /partyfirst W-0003
party-first-done = 已将 { $label } 设为党员优先，本微网格的党员已收到私信。
party-first-already = { $label } 已经是党员优先心愿。
party-first-wishes-only = { $label } 不是微心愿，只有微心愿可以设为党员优先。
party-first-not-open = { $label } 已不在待认领状态。
party-staff-only = 只有本微网格的网格长、网格员或社区管理员可以设置党员优先。

## Pledges
party-members-only = 只有社区确认的党员可以作出和查看承诺。发送 /party 报到。
party-pledge-usage = 用法：/pledge 承诺内容，例如 /pledge 每月为独居老人服务一次
party-pledge-empty = 承诺内容不能为空。
party-pledge-too-many = 一年最多作出 { $max } 项承诺。
party-pledge-made = 已记录你 { $year } 年的承诺：{ $text }
    发送 /pledges 查看践诺进度，并把签章的服务或认领的心愿关联到承诺。
party-pledges-none = 你今年还没有作出承诺。发送 /pledge 承诺内容。
party-pledges-title = <b>{ $year } 年承诺践诺</b>
party-pledge-line = { $number }. { $text } — 已践诺 { $count } 次：{ $kept }
party-btn-link = 🔗 关联到第 { $number } 项
party-pledge-choose = 选择践行这项承诺的服务或心愿：
party-pledge-nothing-to-link = 没有可关联的记录：签章通过的服务和认领的心愿会出现在这里。
party-pledge-gone = 找不到这项承诺。
party-pledge-link-gone = 这条记录不是你的签章服务或认领的心愿。
party-pledge-not-stamped = 这次服务还没有签章，签章后才能关联。
party-pledge-linked = 已关联到承诺：{ $text }
party-pledge-linked-already = 这条记录已经关联过承诺了。

## Whistle and report-in (街道吹哨、部门报到)
party-btn-whistle = 📣 吹哨
party-whistle-usage = 用法：/whistle 诉求编号 部门名称 [原因]，例如 /whistle R-0042 城管执法中队 占道经营需执法
party-whistle-admins-only = 只有本社区的管理员可以吹哨。
party-whistle-not-escalated = { $label } 还没有上报到社区，只有上报到社区且未办结的诉求才能吹哨。
party-whistle-already = 已经为 { $label } 向 { $department } 吹过哨了。
party-department-gone = 这个部门已不在本社区名单中。
party-department-unknown = 没有名为“{ $name }”的部门，请检查名称（结构文件 departments:）。
party-no-departments = 本社区还没有登记职能部门（结构文件 departments:）。
party-whistle-choose = 为 { $label } 向哪个部门吹哨？
party-whistled = 📣 已为 { $label } 向 { $department } 吹哨，等待部门报到。
party-whistle-card = 📣 <b>社区吹哨</b> · { $department }
party-whistle-reason = 原因：{ $reason }
party-whistle-due = 请在 { $due } 前报到
party-whistle-reported = ✅ 已报到（{ $at }）
party-whistle-reported-late = ⚠️ 已报到（{ $at }，超时）
party-whistle-done = ✅ 已办结（{ $at }）：{ $note }
party-btn-report-in = 🙋 报到
party-btn-done = ✅ 办结
party-whistle-gone = 找不到这次吹哨。
party-whistle-not-your-department = 只有{ $department }的联络人可以处理这张卡片。
party-whistle-reported-already = { $department } 已经报到过了。
party-whistle-reported-in = 已报到，处理完成后请点“办结”。
party-whistle-report-in-first = 请先点“报到”，再办结。
party-whistle-done-already = { $department } 已经办结了。
party-whistle-note-in-private = 请在与我的私聊中发送办结说明。
party-whistle-ask-note = 请发送办结说明（做了什么、结果如何），居民会收到。
party-note-empty = 办结说明不能为空，请用一句话说明。
party-whistle-done-recorded = 已办结，说明已记录并告知居民。
party-whistle-reminder = ⏰ { $department }：社区为 { $label } 吹哨后尚未报到，已超过响应时限，请尽快报到。
party-resident-whistled = 你反映的 { $label } 已由社区吹哨，交由 { $department } 处理。
party-resident-reported-in = { $department } 已就 { $label } 报到，正在处理。
party-resident-done = { $department } 已办结 { $label }：{ $note }

## Help
party-help = 党员：/party 双报到（在职党员或社区党员），社区确认后你的名字在卡片上带 🎖 党员标识（亮身份）；党员优先的微心愿会私信通知你；/pledge 作出年度承诺，/pledges 查看并关联践诺记录。
party-help-admin = 党建：确认或退回党员报到卡片；/partyfirst 心愿编号 设为党员优先；对上报到社区的诉求点“📣 吹哨”或 /whistle 诉求编号 部门 原因，部门报到、办结都会记入诉求记录。

## The yearly commendation
party-yearly-pledges = <b>践诺党员</b>（兑现了全部承诺）：
    { $names }
party-yearly-keeper = { $name }（{ $count } 项承诺）

## Monthly unit reports
party-unit-report-title = <b>{ $unit } · { $month } 在职党员社区报到情况</b>
    报到党员 { $members } 人，本月参与 { $active } 人。
party-unit-report-line = { $name }：服务 { $services } 次 { $hours } 小时，微心愿 { $wishes } 个，办结诉求 { $requests } 件，积分 { $points }，践诺 { $pledges } 项
party-unit-report-idle = 本月未参与：{ $names }
party-unit-report-workbook = 明细表（每位党员一行）

## Daily feedback and monthly summary
party-daily-late-departments = <b>{ $date } 吹哨未按时报到的部门</b>
party-daily-late-department = { $department }：{ $label }
party-monthly-departments = <b>{ $month } 街道吹哨、部门报到</b>
party-monthly-department = { $department }：吹哨 { $whistles } 次，按时报到 { $on_time } 次，办结 { $done } 次

## Command menus (the menu names each command by its own id)
cmd-party = 党员双报到 / 亮身份
cmd-pledge = 作出党员承诺
cmd-pledges = 我的承诺与践诺
cmd-whistle = 吹哨：请职能部门报到（管理员）
cmd-partyfirst = 设为党员优先心愿

## Workbench page
party-web-nav = 党建
party-web-admins-only = 党建页面只对社区管理员开放。
party-web-members = 党员双报到
party-web-name = 姓名
party-web-kind = 身份
party-web-kind-in-service = 在职党员
party-web-kind-community = 社区党员
party-web-unit = 共建单位
party-web-micro-grid = 微网格
party-web-status = 状态
party-web-status-pending = 待确认
party-web-status-confirmed = 已确认
party-web-status-declined = 已退回
party-web-status-left = 已退出
party-web-since = 时间
party-web-none = 暂无
party-web-whistles = 街道吹哨、部门报到
party-web-request = 诉求
party-web-department = 部门
party-web-whistled = 吹哨时间
party-web-reported = 报到
party-web-done = 办结
party-web-late = 超时
party-web-overdue = 超时未报到

## Cards
party-card-resolver = {" "}· 办理人 { $name }

## Admins
party-admins-pointer = 有新的党员报到等待确认。管理员请私聊我发送 /party 查看并确认。
party-pending-cards = 有 { $count } 份党员报到等待确认，卡片随后发到这里。
