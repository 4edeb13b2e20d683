## Care ledgers (关爱台账): households, visits, the one-key call

cmd-care = 关爱台账（工作人员）
cmd-visits = 走访计划（工作人员）
cmd-audit = 台账访问记录（管理员）
cmd-sos = 一键呼叫
care-help = 关爱台账（仅本片区工作人员可见）：
    /care — 查看和新增台账住户，改颜色、加备注、标签、电话，开通一键呼叫
    /visits — 按到期先后列出要走访的住户，点一下记录走访
    /audit — 台账访问记录（社区管理员）

care-colour-red = 🔴 红色
care-colour-yellow = 🟡 黄色
care-colour-blue = 🔵 蓝色
care-colour-orange = 🟠 橙色
care-not-found = 没有找到这户，或你无权查看。台账只对本片区的网格长、网格员和社区管理员开放。
care-staff-only = 关爱台账只对社区工作人员开放。
care-stale = 这个按钮已失效，请发送 /care 重新打开。
care-no-key = 系统还没有配置数据加密密钥，暂时不能保存备注和电话。请联系管理员设置 GRIDBOT_DATA_KEY。
care-bad-colour = 颜色只能是 红色、黄色、蓝色 或 橙色。
care-bad-room = 门牌号请控制在 { $max } 个字以内，例如 302，请重新输入。
care-bad-reason = 原因请写一句话，不超过 { $max } 个字，不要以“=”开头。
care-bad-people = 住户姓名请控制在 { $max } 个字以内，不要以“=”开头。
care-bad-note = 备注请写文字，不超过 { NUMBER($max, useGrouping: 0) } 个字，不要以“=”开头。
care-bad-tags = 标签用逗号分开，最多 { $max } 个，每个不超过 { $length } 个字。
care-bad-phone = 电话号码只能包含数字、+ 和 -，请重新输入。
care-list-title = 关爱台账（共 { $count } 户）：
care-list-empty = 你负责的片区还没有台账住户。
care-btn-add = ➕ 新增住户
care-btn-colour = 🎨 改颜色
care-btn-note = 📝 加备注
care-btn-tags = 🏷 标签
care-btn-phone = 📞 电话
care-btn-sos = 🆘 开通一键呼叫
care-btn-visit = 🚶 记录走访
care-card = { $colour } <b>{ $address }</b>（{ $micro_grid }）
    住户：{ $people }
    电话：{ $phone }
    标签：{ $tags }
    原因：{ $reason }
    上次走访：{ $visited }
care-card-notes = 备注：
care-card-note = · { $date } { $text }
care-card-history = 颜色变更：
care-card-change = · { $date } { $colour } { $reason }
care-none = -
care-phone-hidden = （未配置加密密钥，无法显示）
care-add-building = 新增住户：请选择楼栋。
care-add-room = 请输入门牌号（例如 302）：
care-add-colour = 请选择台账颜色：
care-add-reason = 请用一句话写明列入该颜色台账的原因：
care-add-people = 请输入住户姓名（多人用逗号分开），没有可发送 -：
care-add-phone = 请输入联系电话，没有或不愿提供可发送 -：
care-added = ✅ 已保存到台账。
care-pick-colour = 请选择新的颜色：
care-ask-reason = 请写明改为 { $colour } 的原因：
care-ask-note = 请输入备注（会加密保存，并记下日期）：
care-ask-tags = 请输入标签，用逗号分开，例如：独居, 残疾, 低保
care-ask-phone = 请输入新的联系电话：
care-ask-sos = 请输入要开通一键呼叫的人的 Telegram 数字 ID（本人或已登记的亲属；对方需先在私聊中点过“开始”）：
care-saved = ✅ 已保存。
care-sos-unknown-person = 没有找到这个人。请让对方先私聊机器人点“开始”，再输入他的数字 ID。
care-sos-enabled = ✅ 已为 { $name } 开通一键呼叫。
care-sos-welcome = 社区已为你开通“一键呼叫”。遇到紧急情况，点下面的 🆘 一键呼叫 按钮（或发送 /sos），网格长会马上收到。
care-sos-button = 🆘 一键呼叫
care-bad-number = 请输入数字 ID，例如 123456789。

care-visits-title = 走访计划（按到期先后）：
care-visits-line = { $overdue }{ $colour } { $address } — { $due }
care-visits-overdue = ⚠️
care-visits-empty = 你负责的片区还没有需要走访的住户。
care-visit-pick = 走访 { $address }：这次情况如何？
care-outcome-well = 😊 一切安好
care-outcome-needs_help = 🆘 需要帮助
care-outcome-not_home = 🚪 不在家
care-visit-ask-note = 请发一句走访记录（也可以发带说明的照片）：
care-visit-saved = ✅ 走访已记录，下次走访：{ $due }。

care-audit-title = 台账访问记录（最近 { $count } 条）：
care-audit-line = { $at } { $actor } { $action } { $household } { $detail }
care-audit-empty = 还没有访问记录。
care-audit-admins-only = 只有社区管理员可以查看台账访问记录。

care-sos-not-enabled = 你还没有开通一键呼叫。如需开通，请联系所在网格的网格长或网格员。
care-sos-sent = 🆘 已发出呼叫，正在通知网格长和在岗志愿者，请保持电话畅通。
care-sos-already = 你的呼叫正在处理中，已通知相关人员，请稍候。
care-sos-coming = 🚶 { $name } 正在赶来处理你的呼叫。
care-call-alert = 🆘 <b>一键呼叫</b>
    地址：{ $address }
    住户：{ $people }
    电话：{ $phone }
    呼叫时间：{ $at }
care-call-alert-group = 🆘 <b>一键呼叫</b>：{ $micro_grid } { $building }，呼叫时间 { $at }。详情已私聊发给接到通知的工作人员。
care-call-caller = 🆘 你的呼叫（{ $at }）
care-call-waiting = 状态：等待接单
care-call-accepted = 状态：{ $name } 已接单（{ $at }）
care-call-arrived = 状态：{ $name } 已到达（{ $at }）
care-call-cancelled = 状态：已取消（误报）
care-call-closed = 状态：已处理完毕
care-call-escalated-1 = 3 分钟内无人接单，已通知网格员。
care-call-escalated-2 = 仍无人接单，已通知社区管理员。
care-btn-accept = 我去处理
care-btn-arrived = 已到达
care-btn-close = 处理完毕
care-btn-cancel = 取消呼叫（误报）
care-call-taken = { $name } 已经在处理这个呼叫了，谢谢！
care-call-stale = 这个按钮已失效，或这个呼叫不归你处理。
care-call-over = 这个呼叫已经结束了。
care-call-accepted-you = 谢谢！呼叫人已收到通知。
care-call-done = 已记录。

care-daily-overdue = 关爱走访：{ $grid } 有 { $count } 户已超过走访期限。
care-daily-overdue-private = 你负责的片区有 { $count } 户超过走访期限：
    { $addresses }
care-monthly-title = 关爱走访覆盖（本月走访户数 / 台账户数）：
care-monthly-line = { $grid } { $colour }：{ $visited } / { $total }
care-monthly-calls = 一键呼叫 { $calls } 次，接单 { $accepted } 次，接单用时中位数 { $median } 分钟。

care-web-nav = 关爱台账
care-web-who = 只列出你负责片区的住户；每次查看都会记入访问记录。
care-web-colour = 颜色
care-web-address = 地址
care-web-people = 住户
care-web-phone = 电话
care-web-tags = 标签
care-web-reason = 原因
care-web-visited = 上次走访
care-web-notes = 备注
care-web-history = 颜色变更
