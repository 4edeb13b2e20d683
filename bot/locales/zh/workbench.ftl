# The staff workbench (工作台) in the browser, and the /web command that opens it.

web-command-link = 点击下方按钮打开工作台。链接 10 分钟内有效，只能使用一次。
web-command-button = 🖥 打开工作台
web-command-private-only = 请在与我的私聊中发送 /web，登录链接只发给你本人。
web-not-configured = 本部署尚未开启工作台（需设置 GRIDBOT_WEB_URL）。请联系管理员。
web-staff-only = 工作台只对社区工作人员开放：社区管理员、专职网格员和微网格长。
web-sign-in-first = 请先登录：在 Telegram 私聊机器人发送 /web。
web-csrf-refused = 页面已过期，请刷新后再提交。
web-member-unknown = 找不到 Telegram ID 为 { $id } 的成员。

web-title = 网格工作台
web-community = 社区
web-go = 前往
web-logout = 退出所有设备
web-login-title = 登录工作台
web-login-how = 在 Telegram 里私聊 @{ $bot} 发送 /web，点击收到的按钮即可登录，无需密码。
web-login-link-failed = 这个登录链接已失效（已使用或超过 10 分钟）。请重新向机器人发送 /web。

web-nav-overview = 概览
web-nav-requests = 诉求
web-nav-points = 积分
web-nav-reports = 报表

web-total = 共 { $count } 条
web-none = 暂无记录
web-previous = 上一页
web-next = 下一页
web-page = 第 { $page } / { $pages } 页
web-yes = 是
web-urgent = 紧急
web-overdue = 超时
web-photo = 现场照片

web-filter-text = 搜索内容或编号，如 R-0042
web-filter-any-status = 全部状态
web-filter-open = 办理中
web-filter-unclaimed = 待认领
web-filter-escalated = 已上报
web-filter-any-category = 全部类别
web-filter-any-micro-grid = 全部微网格
web-filter-overdue = 只看超时
web-filter-since = 从
web-filter-until = 到
web-filter-apply = 筛选
web-export-xlsx = 导出 Excel

web-col-number = 编号
web-col-category = 类别
web-col-micro-grid = 微网格
web-col-text = 内容
web-col-status = 状态
web-col-urgent = 紧急
web-col-claimer = 认领人
web-col-deadline = 时限
web-col-created = 提交时间
web-col-rating = 评价

web-level = 当前层级
web-level-micro-grid = 微网格
web-level-grid = 网格
web-level-community = 社区
web-claim-deadline = 认领时限
web-resolve-deadline = 办结时限
web-trail = 办理记录
web-actions = 操作
web-action-reassign = 转派到
web-action-escalate = 上报
web-action-reject = 驳回
web-action-merge = 合并到
web-merge-into = 合并到哪一条（编号）
web-reason = 原因（必填）
web-reason-optional = 上报原因（可不填）
web-done-reassign = 已转派，新微网格的群里已收到任务卡片。
web-done-escalate = 已上报到上一级。
web-done-reject = 已驳回，居民会收到原因。
web-done-merge = 已合并。

web-event-submit = 提交
web-event-route = 派单
web-event-claim = 认领
web-event-start = 开始处理
web-event-resolve = 已解决
web-event-hand-back = 退回
web-event-reject = 驳回
web-event-escalate = 上报
web-event-reassign = 转派
web-event-merge = 合并
web-event-plus-one = 有人反映同一问题
web-event-rate = 评价
web-event-reopen = 不满意，重新办理
web-event-confirm = 居民确认完成
web-event-not-fulfilled = 居民表示未完成

web-overview-new-today = 今日新增
web-overview-unclaimed = 待认领
web-overview-overdue = 已超时
web-overview-by-micro-grid = 各微网格今天
web-overview-claimed-today = 今日认领
web-overview-resolved-today = 今日解决
web-overview-checkins-waiting = 待签章打卡
web-overview-escalated = 已上报
web-overview-rates = 本月三率（与上月对比）
web-overview-rates-note = 按提交月份统计，口径与每月总结相同。
web-rate-response = 响应率
web-rate-resolution = 解决率
web-rate-satisfaction = 满意率
web-last-month = 上月
web-whole-community = 全社区

web-report-month = 月份
web-report-show = 查看
web-report-download = 下载该月 Excel 报表
web-report-requests = 诉求数
web-report-median-claim = 认领中位时长（小时）
web-report-median-resolve = 办结中位时长（小时）
web-report-scope = 范围
web-report-top-points = 积分榜
web-report-top-hours = 服务时长榜
web-report-admin-only = 月度报表只对社区管理员开放。

web-points-balances = 成员积分
web-points-search = 姓名、用户名或 Telegram ID
web-points-search-button = 查找
web-points-member = 成员
web-points-balance = 余额
web-points-ledger = 积分流水
web-points-amount = 变动
web-points-reason = 原因
web-points-note = 说明
web-points-when = 时间
web-points-rewards = 兑换商品与本周库存
web-points-reward = 商品
web-points-merchant = 商家
web-points-cost = 所需积分
web-points-stock = 每周库存
web-points-remaining = 本周剩余
web-points-held = 待兑换订单
web-points-adjust = 调整积分
web-points-adjust-member = 成员 Telegram ID
web-points-adjust-amount = 数量（负数为扣减）
web-points-adjust-reason = 原因（成员会看到）
web-points-adjust-done = 已调整，{ $name } 现在的余额是 { $balance } 分。
web-points-adjust-button = 确认调整

# The command menu entry of /web.
cmd-web = 打开工作台（网页）
