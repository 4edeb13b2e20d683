## Errors and refusals

error-generic = 操作没有成功，请稍后再试。
error-not-found = 没有找到对应的记录，它可能已被删除。
error-not-allowed = 你没有权限进行这个操作。
error-stale = 这个按钮已失效（内容已更新或不属于你）。请使用最新的消息重新操作。
error-invalid-input = 输入的内容无法识别，请检查后重试。
error-place-gone = 所选的地点已不存在，请重新选择。
error-room-invalid = 门牌号请控制在 { $max } 个字以内，例如 302。请重新输入，或点击“跳过”。
error-internal = 抱歉，处理时出了点问题，已记录下来。你输入的内容没有丢失，请稍后再试一次。
flood-slow-down = 操作太快了，请稍等片刻再继续。

## Registration

reg-welcome = 你好！我是社区网格服务助手。先登记一下你的住址，方便把你的诉求送到对应的微网格。
reg-welcome-group = 你好！你来自「{ $micro_grid }」的群，接下来选择楼栋和单元即可。
reg-no-places = 这里还没有可以登记的社区，请联系社区工作人员先导入网格结构。
reg-pick-community = 请选择你所在的社区：
reg-pick-micro-grid = 请选择你所在的小区 / 微网格：
reg-pick-building = 请选择你的楼栋：
reg-pick-unit = 请选择你的单元：
reg-ask-room = 请输入门牌号（例如 302）。门牌号只会给处理你诉求的工作人员看，不会在群里公开。也可以直接跳过。
reg-skip-room = 跳过
reg-confirm-prompt = 请确认你的住址：
    <b>{ $address }</b>
reg-confirm = ✅ 确认登记
reg-restart = ↩️ 重新选择
reg-change = ✏️ 修改住址
reg-done-short = 登记成功
reg-done = ✅ 登记完成！之后你可以在群里或这里反映问题、发布微心愿。发送 /help 查看可用命令。
reg-already = 你已登记的住址：
    社区：{ $community }
    微网格：{ $micro_grid }
    楼栋：{ $building }
    单元：{ $unit }
    门牌号：{ $room }
cancelled = 已取消。需要时发送 /start 重新开始。
nothing-to-cancel = 当前没有进行中的操作。
page-previous = ◀️ 上一页
page-next = 下一页 ▶️

## Groups

group-register-first = 请先在私聊中登记住址（门牌号等个人信息不会出现在群里），点击下面的按钮即可开始。
group-start-registered = 个人事务请在私聊中办理，点击下面的按钮打开。
open-private-chat = 🔒 打开私聊

## Admin: binding groups

bind-usage = 用法：/bind 微网格名称（重名时写作 /bind 社区名/微网格名称）
bind-not-found = 没有找到名为「{ $name }」的微网格。请核对名称，或先用 gridbot import 导入网格结构。
bind-not-admin = 只有该社区的管理员才能绑定群聊。
bind-ambiguous = 有多个名为「{ $name }」的微网格，请写作 /bind 社区名/{ $name }
bind-done = ✅ 本群已绑定到「{ $community } · { $micro_grid }」。
bind-released = 本群原先绑定的「{ $micro_grid }」已解除绑定。
bind-privacy-warning = ⚠️ 机器人目前只能看到本群的命令消息，#报事、#微心愿 等话题标签无法识别。请在 BotFather 中对 @{ $bot } 执行 /setprivacy 并选择 Disable，或把机器人设为群管理员。命令（如 /report）始终可用。

## Help

help-intro-private = <b>社区网格服务助手</b>
help-intro-group = <b>社区网格服务助手</b>（群内命令）
help-unregistered = 你还没有登记住址：发送 /start 开始登记。
help-resident-private = 居民：
    /start — 登记或修改住址
    /report — 反映问题（分步填写：分类、内容、照片、位置）
    /wish — 发布微心愿
    /my — 查看我的诉求和心愿
    /volunteer — 登记为志愿者
    /language — 切换语言
    /cancel — 取消当前操作
help-resident-group = 居民：
    /report 内容 或 #报事 内容 — 反映问题（加上 #急 表示紧急）
    /wish 内容 或 #微心愿 内容 — 发布微心愿
    /start — 在私聊中登记住址
help-volunteer = 志愿者：在群里点击微心愿卡片上的“认领”；/tasks 查看我认领的心愿。
help-leader = 微网格长：在网格长群点击诉求卡片上的“认领”“上报”“重复”；/tasks 查看待办；
    /reject 编号 原因、/escalate 编号 原因、/merge 编号 目标编号。
    /web — 在浏览器里打开工作台（登录链接私聊发给你）
help-grid-worker = 专职网格员：接收超时上报的诉求；/reassign 编号 微网格名称 改派。
    /web — 在浏览器里打开工作台（登录链接私聊发给你）
help-merchant = 爱心商家：核销积分兑换券（即将开放）。
help-admin = 社区管理员：
    /bind 微网格名称 — 在群里发送，把本群绑定到微网格
    /web — 在浏览器里打开工作台（登录链接私聊发给你）
help-footer-private = 有问题请联系所在社区的工作人员。
help-footer-group = 个人信息只在私聊中填写，不会出现在群里。

## Language

language-choose = 请选择语言 / Choose a language:
language-set = 已切换为中文。
unknown-private = 没有看懂这条消息。发送 /help 查看可用命令。

## Command menu

cmd-start = 登记 / 修改住址
cmd-help = 使用帮助
cmd-language = 切换语言
cmd-cancel = 取消当前操作
cmd-bind = 把本群绑定到微网格（管理员）

## Requests: words

kind-report = 诉求
kind-wish = 微心愿
urgent-mark = 🔴 紧急
yes = 是
no = 否
status-submitted = 待确认
status-routed = 待认领
status-claimed = 已认领
status-in-progress = 处理中
status-resolved = 已解决
status-closed = 已办结
status-rejected = 已驳回
status-merged = 已合并

## Requests: refusals

request-register-first = 请先私聊我发送 /start 登记住址，再提交诉求或微心愿。
request-text-empty = 请写上具体内容，例如：3号楼2单元楼道灯不亮了。
request-text-too-long = 内容太长了（{ $length } 字），请控制在 { $max } 字以内。你输入的内容没有保存为诉求，请精简后重新发送。
request-note-empty = 说明不能为空；不需要说明时请点击“跳过”。
request-reason-empty = 请写明原因，居民会看到这条原因。
request-category-gone = 这个分类已停用，请重新选择分类。
request-not-found = 没有找到这条记录。
request-not-yours = 这不是你提交的诉求，不能操作。
request-not-your-task = 这条任务不是由你认领的，只有认领人可以操作。
request-claim-not-allowed = 只有「{ $micro_grid }」的微网格长（或其网格员、社区管理员）可以认领这条诉求。
request-claim-wish-not-allowed = 只有「{ $micro_grid }」的志愿者和网格长可以认领微心愿（发布人本人不能认领）。想成为志愿者请私聊我发送 /volunteer。
request-already-claimed = { $label } 已由 { $by } 认领。
request-already-resolved = { $label } 已经解决，无需再操作。
request-already-closed = { $label } 已关闭（驳回或合并）。
request-at-top = { $label } 已在社区层级，无法继续上报。
request-staff-only = 只有负责的网格长、网格员或社区管理员可以这样做。
request-reassign-not-allowed = 只有网格员或社区管理员可以改派。
request-micro-grid-gone = 目标微网格不存在。
request-bad-number = “{ $text }”不是有效的编号，编号形如 R-0042 或 W-0007。
request-no-such-number = 没有编号为 { $label } 的记录。
request-merge-target-invalid = 不能合并到 { $label }：它不是另一条进行中的诉求。
request-not-ratable = { $label } 目前不能评价（还没有解决，或已经评价过）。
request-rating-range = 评分应为 1 到 5 星。

## Requests: intake

intake-usage-report = 请在命令后写上问题，例如：/report 3号楼楼道灯坏了。也可以私聊我发送 /report 分步填写。
intake-usage-wish = 请在命令后写上心愿，例如：/wish 想借一辆轮椅用一周。也可以私聊我发送 /wish。
intake-receipt = ✅ 已收到 { $label }（{ $category }），状态：{ $status }。处理进度会私信通知你。
intake-duplicate = 附近已有一条类似的诉求 { $label } 正在处理。是同一件事吗？
intake-plus-one = 👍 已记为 { $label } 的 +1，处理进度会一并通知你。
intake-routed-anyway = ✅ 已作为新诉求 { $label } 派发。
btn-dup-same = 👍 是同一件事（+1）
btn-dup-new = 不是，作为新问题提交

flow-ask-category = 请选择问题分类：
flow-ask-text-report = 请描述问题（{ $max } 字以内），例如：3号楼2单元楼道灯不亮了。
flow-ask-text-wish = 请写下你的微心愿（{ $max } 字以内），例如：想请人帮忙换一下客厅的灯泡。
flow-ask-photo = 可以发送一张照片，或点击“跳过”。
flow-ask-location = 可以发送位置（📎 → 位置），或点击“跳过”。
flow-ask-urgent = 这件事紧急吗？紧急事项会立即通知网格员。
flow-ask-share = 是否允许认领人看到你的姓名和门牌号，方便上门？
flow-confirm = 请确认：
    { $text }
    照片：{ $photo } · 紧急：{ $urgent } · 公开联系方式给认领人：{ $share }
flow-sent = ✅ 已提交 { $label }，处理进度会私信通知你。发送 /my 可查看你的全部诉求。
btn-cancel = 取消
btn-skip = 跳过
btn-submit = ✅ 提交
btn-urgent = 🔴 紧急
btn-not-urgent = 不紧急
btn-share-yes = 允许
btn-share-no = 不允许

## Requests: cards

card-waiting = 状态：{ $status } · 认领时限 { $deadline }
card-claimed = 状态：{ $status } · 认领人 { $name } · 办结时限 { $deadline }
card-status = 状态：{ $status }
card-why-escalated = ⬆️ 超时或手动上报
card-why-urgent = 🔴 紧急事项，请关注
card-why-reopened = 🔁 居民不满意，已重新打开
card-why-reassigned = ↪️ 改派到本微网格
card-reason = 说明：{ $reason }
card-resident-comment = 居民意见：{ $comment }
card-contact = 联系人：{ $contact } · 门牌号：{ $room }
card-contact-private = 居民未公开联系方式，如需上门请在群里约定。
card-location = 位置：{ $lat }, { $lon }
btn-claim = 🙋 认领
btn-escalate = ⬆️ 上报
btn-duplicate = 🔁 重复
btn-start = ▶️ 开始处理
btn-resolve = ✅ 已解决
btn-hand-back = ↩️ 退回
btn-reject = ⛔ 驳回
btn-follow = 🔎 查看进度
btn-open-private = 🔒 打开私聊

## Requests: working on them

task-claimed = 已认领 { $label }，详情已私信发给你。
task-open-private-first = 请先私聊我发送 /start（只需一次），然后再按这个按钮。
task-see-private = 请在私聊中继续。
task-ask-escalate = 请回复上报 { $label } 的原因，或点击“跳过”。
task-ask-resolve = 请回复 { $label } 的处理说明（也可以发一张照片），或点击“跳过”。
task-ask-reject = 请回复驳回 { $label } 的原因（居民会看到）。
task-ask-merge = { $label } 与下面哪一条重复？
task-no-merge-candidates = 本微网格没有其他进行中的诉求可以合并。
task-done-start = { $label } 已标记为处理中。
task-done-hand-back = { $label } 已退回，等待重新认领。
task-done-escalate = { $label } 已上报到上一级。
task-done-resolve = { $label } 已标记为解决，已请居民评价。
task-done-reject = { $label } 已驳回，居民会收到原因。
task-done-merge = 已合并到 { $label }。
task-done-reassign = { $label } 已改派。
tasks-title = 待办（第 { $page }/{ $pages } 页）：
tasks-empty = 目前没有待办任务。
tasks-staff-only = /tasks 供网格长、网格员和志愿者使用。
usage-reject = 用法：/reject R-0042 驳回原因
usage-escalate = 用法：/escalate R-0042 上报原因
usage-merge = 用法：/merge R-0043 R-0042（把前者合并到后者）
usage-reassign = 用法：/reassign R-0042 微网格名称

## Requests: notices to residents

notice-received = 已收到 { $label }，正在派发给负责的网格长。
notice-claimed = { $label } 已有人认领，正在安排处理。
notice-in-progress = { $label } 正在处理中。
notice-resolved = { $label } 已处理完成。{ $note }
notice-handed-back = { $label } 正在重新安排处理人。
notice-rejected = { $label } 未被受理，原因：{ $reason }
notice-escalated = { $label } 已上报到上一级，会加快处理。
notice-reassigned = { $label } 已转交给更合适的微网格处理。
notice-merged = { $label } 与 { $into } 是同一件事，已合并处理。
notice-claimer-confirmed = 居民确认 { $label } 已实现，感谢你的帮助！
notice-claimer-not-fulfilled = 居民表示 { $label } 还没有实现，请再联系确认。
private-fallback = { $mention }，你有一条新的通知。请点击下面的按钮在私聊中查看（只需点一次“开始”）。
private-fallback-member = 成员

## Closing the loop

rate-ask = { $label } 已处理完成，请为这次服务打分：
rate-ask-satisfied = 你打了 { $stars }。你对处理结果满意吗？
rate-ask-comment = 还有什么想说的吗？直接回复，或点击“跳过”。
rate-ask-comment-bad = 请说说哪里不满意，我们会重新处理。直接回复，或点击“跳过”。
rate-thanks = 感谢评价！{ $label } 已办结。
rate-reopened = 已收到你的意见，{ $label } 已重新打开，会再次安排处理。
btn-satisfied = 😊 满意
btn-not-satisfied = 😞 不满意
wish-confirm-ask = 你的微心愿 { $label } 认领人表示已完成，确认实现了吗？
btn-wish-fulfilled = ✅ 已实现
btn-wish-not-yet = 还没有
wish-closed = 🎉 微心愿 { $label } 已实现，谢谢你的确认！
wish-not-yet = 已告诉认领人 { $label } 还没有实现。
my-title = 我的诉求和心愿（第 { $page }/{ $pages } 页）：
my-empty = 你还没有提交过诉求或微心愿。发送 /report 反映问题，或 /wish 发布微心愿。
volunteer-welcome = 🙌 你已登记为本微网格的志愿者，可以认领群里的微心愿了。
volunteer-already = 你已经是志愿者了。

cmd-report = 反映问题（诉求）
cmd-wish = 发布微心愿
cmd-my = 我的诉求
cmd-tasks = 我的待办（网格长）
cmd-volunteer = 登记为志愿者

## Points

points-not-enough = 积分不足：需要 { $need } 分，当前余额 { $have } 分。
points-register-first = 请先私聊我发送 /start 登记住址，之后就能查看积分和兑换奖品。
points-admin-only = 只有社区管理员可以调整积分。
points-reason-needed = 请写明调整原因，成员会看到这条原因。
points-amount-invalid = 调整数额应为非零整数，且绝对值不超过 { $limit }。
points-balance = 💰 当前积分：<b>{ $balance }</b>
points-entry = { $date } { $amount } { $reason } { $note }
ledger-service = 志愿服务
ledger-wish = 实现微心愿
ledger-task = 办结诉求
ledger-order-hold = 兑换预扣
ledger-refund = 兑换退回
ledger-adjustment = 管理员调整
rewards-none = 本社区暂时没有可兑换的奖品。
rewards-title = 🎁 爱心积分超市（你的积分：{ $balance }）。每周一次统一兑换，下单即预扣积分，未兑到的会退回。
rewards-line = • { $name }（{ $merchant }）— { $cost } 分，本周剩余 { $remaining }
btn-order = 兑换 { $name }（{ $cost } 分）
order-placed = 已下单，预扣 { $cost } 分，剩余 { $balance } 分。每周兑换后会发给你兑换码。
reward-gone = 这个奖品已下架。
reward-other-community = 只能兑换你所在社区的奖品。
verify-usage = 用法：/verify 兑换码（兑换码在顾客收到的二维码图片下方）
verify-no-qr = 没有在照片里识别到二维码。请拍清楚一些重新发送，或直接发送 /verify 兑换码。
verify-ok = ✅ 兑换码有效，已核销。请交给顾客：{ $reward }（{ $holder }）
voucher-merchants-only = 只有爱心商家的成员可以核销兑换码。
voucher-unknown = 兑换码 { $code } 不存在，请核对后重试。
voucher-foreign = 兑换码 { $code } 不是本店的，请顾客到对应商家兑换。
voucher-used = 兑换码 { $code } 已在 { $at } 核销过，不能重复使用。
adjust-usage = 用法：/adjust Telegram用户ID 数额 原因，例如 /adjust 5001 20 参加社区清洁日
adjust-done = 已调整，该成员当前积分 { $balance }。
notice-points-adjusted = 管理员调整了你的积分：{ $amount }（原因：{ $reason }），当前积分 { $balance }。
notice-points-earned = 🎉 获得 { $amount } 积分（{ $why }），当前积分 { $balance }。
notice-voucher-issued = 🎁 兑换成功：{ $reward }。兑换码 <b>{ $code }</b>，请到店出示二维码或兑换码，仅能使用一次。
notice-order-refunded = 本周 { $reward } 已兑完，预扣的 { $amount } 分已退回，当前积分 { $balance }。
cmd-points = 我的积分
cmd-rewards = 积分兑换
cmd-verify = 核销兑换码（商家）

## Volunteer service

activity-usage = 用法（在私聊中发送，用 | 分隔）：
    /activity 标题 | 地点 | 开始 | 结束 | 每小时积分 | 参加积分 | 名额
    例如：/activity 楼道清洁日 | 2号楼 | 2026-11-28 09:00 | 11:00 | 10 | 5 | 20
    社区管理员可在末尾加上“| 微网格名称”。
activity-organisers-only = 只有微网格长或社区管理员可以发布活动。
activity-bad-times = 结束时间要晚于开始时间。
activity-bad-slots = 名额应在 1 到 { $max } 之间。
activity-bad-points = 积分应在 0 到 { $max } 之间。
activity-bad-title = 标题和地点不能为空，且在 { $max } 字以内。
activity-gone = 这个活动不存在了。
activity-other-community = 只能报名本社区的活动。
activity-over = 活动已经结束了。
activity-already-signed = 你已经报名了。
activity-full = 名额已满（共 { $slots } 人）。
activity-created = ✅ 活动「{ $title }」已发布到本微网格群。
activity-signed-up = ✅ 报名成功，目前已有 { $count } 人报名。
activity-card = 📣 志愿活动：<b>{ $title }</b>
    地点：{ $place }
    时间：{ $start } – { $end }
    积分：每小时 { $per_hour } 分，参加 { $per_attendance } 分
    名额：{ $slots } 人
btn-signup = ✋ 报名
btn-checkin = 📍 签到
checkin-outside-window = 现在不在「{ $title }」的签到时间内（活动开始前 15 分钟至结束后 15 分钟）。
checkin-already-open = 你还有一次未签退的签到，请先发送 /checkout。
checkin-done = 📍 已签到：{ $title }。结束时发送 /checkout 签退。
checkout-nothing-open = 你目前没有进行中的活动签到。
checkout-done = 👋 已签退，服务 { $minutes } 分钟，获得 { $points } 积分。
checkin-usage = 用法：/checkin 做了什么，例如 /checkin 帮独居老人买菜（可以附一张照片）。活动签到请点活动消息上的“签到”。
checkin-describe = 请写明做了什么服务（{ $max } 字以内）。
checkin-submitted = ✅ 已提交服务打卡，等待微网格长签章。
checkin-gone = 这条打卡记录不存在了。
checkin-leaders-only = 只有本微网格的网格长可以签章。
checkin-not-own = 不能给自己的服务签章，请由其他网格长处理。
checkin-reviewed-already = 这条打卡已经处理过了。
checkin-review-card = 🌸 服务打卡待签章：{ $name }
    { $what }
    照片：{ $photo }
btn-approve = ✅ 签章通过
btn-disapprove = ⛔ 不通过
checkin-ask-reason = 请回复不通过的原因（志愿者会看到）。
checkin-rejected-card = 已退回：{ $what }，志愿者会收到原因。
notice-checkin-approved = 🌸 你的服务「{ $what }」已签章，获得 { $points } 积分（当前 { $balance }）。
notice-checkin-rejected = 你的服务打卡「{ $what }」未通过，原因：{ $reason }
cmd-checkin = 服务打卡
cmd-checkout = 活动签退
cmd-activity = 发布志愿活动（网格长）

## The rhythm (四个一)

daily-digest = 📋 { $micro_grid } · { $date } 每日反馈
    新增诉求：{ $new } · 已认领：{ $claimed } · 已解决：{ $resolved }
    超时未办：{ $overdue } · 待签章打卡：{ $waiting }
daily-resident-title = 📬 { $date } 你的诉求有了新进展：
daily-resident-line = • { $label }：{ $status }
rate-reminder = { $label } 已解决一天多了，还没有收到你的评价。花几秒打个分吧：
monthly-title = 📊 { $month } 月度总结
monthly-stats = <b>{ $name }</b>：诉求 { $total } 件（{ $categories }）
    响应率 { $response } · 解决率 { $resolution } · 满意率 { $satisfaction }
    认领中位用时 { $claim } 小时 · 解决中位用时 { $resolve } 小时
monthly-top-points = 积分之星：{ $names }
monthly-top-hours = 服务时长之星：{ $names }
monthly-chart = 各网格响应率、解决率、满意率
monthly-workbook = 本月诉求、打卡和积分明细（XLSX）
yearly-roll = 🏅 { $community } { $year } 年度表彰
    
    优秀志愿者：
    { $volunteers }
    
    优秀网格长：
    { $leaders }
    
    优秀微网格：
    { $micro_grids }
yearly-volunteer = { $name }（{ $points } 分）
yearly-leader = { $name }（办结 { $count } 件）
yearly-micro-grid = { $name }（办结 { $resolved } 件，满意率 { $rate }）
