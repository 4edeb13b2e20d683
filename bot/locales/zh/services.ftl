# Partner services (社会力量): 居民点单—社区接单—社会力量办单—居民评单

svc-menu-title = 🤝 <b>社区服务菜单</b>（社会力量提供）
svc-menu-category = <b>【{ $category }】</b>
svc-menu-line = • { $service } · { $price } · { $partner } · 已完成 { $completed } 单 · 评分 { $average }
svc-no-rating = 暂无
svc-menu-hint = 点下面的服务名称即可点单。
svc-menu-empty = 你所在的微网格暂时没有可预约的服务。
svc-register-first = 请先登记住址（发送 /start），登记后才能点单。
svc-service-gone = 这项服务已下架或协议已到期，请发送 /services 看看现在的菜单。
svc-not-your-area = 「{ $service }」不服务你所在的区域，请发送 /services 选择本区域的服务。
svc-ask-text = 你选择了「{ $service }」。请说说需要什么（最多 { $max } 字）：
svc-ask-photo = 需要的话可以发一张照片，或者点「跳过」。
svc-ask-when = 希望什么时间上门或服务？（例如：周六上午；最多 { $max } 字）
svc-confirm = 请确认你的点单：
    服务：{ $service }
    内容：{ $text }
    照片：{ $photo }
    时间：{ $when }
svc-yes = 有
svc-no = 无
svc-when-any = 时间不限
svc-btn-skip = 跳过
svc-btn-any-time = ⏱ 时间不限
svc-btn-send = ✅ 提交
svc-btn-cancel = 取消
svc-btn-no-comment = 不写评价
svc-cancelled = 已取消，没有提交任何内容。
svc-use-buttons = 请按上一条消息的提示回复，或点它下面的按钮。
svc-stale = 这个按钮已经过期了，请发送 /services 重新开始。
svc-text-empty = 内容不能为空，请用文字说明。
svc-text-too-long = 内容太长了（{ $length } 字），请控制在 { $max } 字以内再发一次。
svc-receipt = ✅ 已收到你的点单 <b>{ $label }</b>（{ $service }）。社区会尽快安排服务方，有进展会通知你。
svc-receipt-waiting = 🕒 已收到你的点单 <b>{ $label }</b>（{ $service }）。本周名额已满，你的点单在排队等候，社区安排后会通知你。

svc-status-waiting = 排队等候（本周已满）
svc-status-submitted = 待社区接单
svc-status-passed = 待服务方接受
svc-status-accepted = 服务方已接受
svc-status-scheduled = 已预约
svc-status-done = 已完成，待居民评价
svc-status-rated = 已评价
svc-status-returned = 已退回
svc-status-converted = 已转为诉求

svc-why-new = 🆕 新的服务点单
svc-why-declined = ↩️ 服务方婉拒，请重新安排
svc-why-poor = ⚠️ 居民差评，请跟进回访
svc-card-head = <b>{ $label }</b> · { $service } · { $partner }
svc-card-place = 区域：{ $place }
svc-card-text = 内容：{ $text }
svc-card-when = 希望时间：{ $when }
svc-card-status = 状态：{ $status }
svc-card-appointment = 预约时间：{ $when }
svc-card-note = 完成说明：{ $note }
svc-card-rating = 评价：{ $stars } { $comment }
svc-card-reason = 原因：{ $reason }
svc-card-taken = 已由 { $name } 接受
svc-card-resident = 🔒 居民信息（仅你可见，请勿外传）：
    姓名：{ $name }
    地址：{ $address }
    电话：{ $phone }
svc-phone-none = 未提供
svc-btn-pass = 📤 接单（交服务方）
svc-btn-convert = 🔁 转为诉求
svc-btn-return = ↩️ 退回
svc-btn-accept = ✅ 接受
svc-btn-decline = 🙏 婉拒
svc-btn-schedule = 📅 预约时间
svc-btn-complete = 🏁 完成

svc-order-gone = 找不到这张点单了。
svc-order-moved-on = 点单 { $label } 已经有人处理过了，按钮已失效。
svc-staff-only = 只有社区工作人员（管理员、本网格的网格员）可以处理点单。
svc-partner-only = 这张点单不属于你所在的服务方，不能操作。
svc-other-contact = 点单 { $label } 由同事接受了，请由他继续办理。
svc-agreement-over = 「{ $partner }」的服务协议已到期，不能再派新单；可以转为诉求或退回。
svc-resident-moved = 这位居民已不在登记地址，不能转为诉求，请退回。
svc-passed = 已交给服务方。
svc-converted = { $label } 已转为诉求 { $request }，按普通诉求流程办理。
svc-accepted = 已接受。居民信息已显示在卡片上，仅你可见。
svc-ask-return = 请回复退回 { $label } 的原因（居民会看到，最多 { $max } 字）：
svc-ask-decline = 请回复婉拒 { $label } 的原因（社区会看到，最多 { $max } 字）：
svc-ask-schedule = 请回复和居民约定的时间（例如：12月6日 上午10点；最多 { $max } 字）：
svc-ask-complete = 请回复完成说明（最多 { $max } 字），也可以发一张带说明的照片：
svc-reason-empty = 请用文字写明原因。
svc-when-empty = 请用文字写明预约时间。
svc-note-empty = 请写一句完成说明（照片请附上文字说明）。
svc-done-return = 已退回 { $label }，居民会收到原因。
svc-done-decline = 已婉拒 { $label }，社区会重新安排。
svc-done-schedule = 已预约 { $label }，居民会收到时间。
svc-done-complete = 已完成 { $label }，等待居民确认和评价。

svc-resident-passed = 📤 你的点单 { $label }（{ $service }）社区已接单，已交给服务方。
svc-resident-accepted = ✅ 你的点单 { $label }（{ $service }）已由「{ $partner }」接受，他们会和你约时间。
svc-resident-scheduled = 📅 你的点单 { $label }（{ $service }）已预约：{ $when }
svc-resident-returned = ↩️ 你的点单 { $label }（{ $service }）被社区退回，原因：{ $reason }
svc-resident-rate = 🏁 你的点单 { $label }（{ $service }）服务方已完成：{ $note }
    如果确实完成了，请打分（1–5 星）：
svc-ask-comment = 你打了 { $stars }。想说点什么吗？直接回复评价（最多 { $max } 字），或点「不写评价」。
svc-not-yours = 这不是你的点单，不能评价。
svc-not-ratable = 点单 { $label } 现在不能评价（还没完成，或已经评价过）。
svc-rating-range = 评分要在 1 到 5 星之间。
svc-rated = 谢谢你的评价！点单 { $label } 已完成。
svc-open-private = 请先私聊机器人并点「开始」，我会在私聊里问你。

svc-stars = 🌟 <b>{ $community } { $quarter } 服务明星</b>
    本季度评分最高、完成不少于 { $minimum } 单的服务方：
    { $stars }
    感谢你们为居民的用心服务！
svc-star-line = { $rank }. { $partner } · 完成 { $completed } 单 · 平均 { $average } 星
svc-daily-unaccepted = ⏰ 有 { $count } 张服务点单超过答复时限仍未被服务方接受：{ $labels }。请联系服务方或重新安排。
svc-agreement-ending = 📄 「{ $partner }」的合伙服务协议将于 { $until } 到期，请及时续签；到期后其服务会从菜单下架。
svc-monthly-title = 🤝 社会力量服务（三公开）：
svc-monthly-line = { $partner }：点单 { $orders } · 完成 { $completed } · 按时接单 { $in_time } · 平均 { $average } 星 · 差评 { $complaints }
svc-yearly-stars = 🌟 年度服务明星：{ $names }

cmd-services = 社区服务点单
svc-help = 🤝 <b>社区服务</b>：/services 查看本区域的服务菜单（公益、低偿、市场价），点单后社区接单、服务方上门，完成后请打分评价。服务方人员会在私聊收到点单。
svc-why-late = ⏰ 服务方超过答复时限仍未接受，请联系服务方或重新安排

svc-web-nav = 服务点单
svc-web-service = 服务
svc-web-partner = 服务方
svc-web-appointment = 预约 / 希望时间
svc-web-rating = 评价
svc-web-results = 本月各服务方（三公开）· { $month }
svc-web-orders = 点单
svc-web-completed = 完成
svc-web-in-time = 按时接单
svc-web-average = 平均星级
svc-web-complaints = 差评

cmd-orders = 我的服务点单
svc-orders-none = 你还没有服务点单。发送 /services 看看本区域的服务。
svc-orders-to-do = 🧰 <b>待你办理的点单（{ $count } 张）</b>
svc-orders-placed = 🧾 <b>我点的服务</b>
svc-orders-line = • { $label } · { $service } · { $status } · { $when }
