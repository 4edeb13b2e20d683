# 议事协商：征集议题、审核立项、拟定方案、表决、公示落实、备案；大树下的悄悄话

cmd-propose = 提出议题（议事协商）
cmd-topics = 我的议题与待表决事项
cmd-whisper = 大树下的悄悄话（匿名留言）

delib-track-major = 大事
delib-track-minor = 小事
delib-track-urgent = 急事
delib-scope-micro_grid = 本小区（微网格）
delib-scope-grid = 本网格
delib-scope-community = 全社区
delib-status-submitted = 待审核
delib-status-accepted = 已立项，拟定方案中
delib-status-merged = 已合并
delib-status-declined = 不予立项
delib-status-voting = 表决中
delib-status-passed = 表决通过，落实中
delib-status-failed = 表决未通过
delib-status-implemented = ✅ 已落实
delib-passed-yes = 通过
delib-passed-no = 未通过
delib-choice-against = 反对
delib-choice-abstain = 弃权

delib-ask-title = 📝 请发送议题的标题（不超过 { NUMBER($max, useGrouping: 0) } 字）。
delib-ask-text = 请说明议题的内容：现在的问题是什么、你建议怎么做（不超过 { NUMBER($max, useGrouping: 0) } 字）。
delib-ask-photo = 可以发送一张照片说明情况，也可以跳过。
delib-ask-scope = 这个议题涉及哪个范围？范围内登记的居民可以附议和表决。
delib-confirm = 请确认议题：
    标题：{ $title }
    内容：{ $text }
    范围：{ $scope }
    照片：{ $photo }
delib-sent = ✅ 议题已提交，编号 { $label }。审核结果会私信告诉你。
delib-step-title = 请发送议题的标题（一段文字）。
delib-step-text = 请用文字说明议题的内容。
delib-step-photo = 请发送一张照片，或点“跳过”。
delib-step-scope = 请点上面的按钮选择范围。
delib-step-confirm = 请点上面的“提交”按钮，或点“取消”。
delib-group-usage = 提议题请这样写：#议题 标题 内容，例如：#议题 加装电梯 2号楼老人多，希望加装电梯。
delib-group-receipt = ✅ 已收到议题 { $label }，已送社区审核。大家可以在议题卡片上附议。
delib-group-receipt-private = ✅ 你在“{ $chat }”提出的议题 { $label } 已收到，已送社区审核。
delib-receipt = 📮 已收到你的议题 { $label }：{ $title }
    社区会在 { $days } 天内答复是否立项，结果会私信告诉你。
delib-register-first = 请先发送 /start 登记住址，登记后才能提议题、附议和表决。
delib-title-empty = 标题不能为空，请发送议题的标题。
delib-text-empty = 内容不能为空，请说明议题的内容。
delib-too-long = 内容太长（{ NUMBER($length, useGrouping: 0) } 字），请精简到 { NUMBER($max, useGrouping: 0) } 字以内后重新发送。
delib-not-found = 这个议题不存在或已删除。
delib-bad-number = “{ $text }”不是议题编号，请发送形如 P-0001 的编号。
delib-no-such-number = 本社区没有议题 { $label }，请核对编号后重新发送。
delib-stale = 议题 { $label } 已有新的进展，这个按钮已失效，请看最新的卡片。
delib-stale-button = 这个按钮已失效，请使用最新的卡片操作。
delib-staff-only = 只有负责这个范围的网格员或社区管理员可以这样操作。
delib-outside-scope = 议题 { $label } 不在你登记的住址范围内，只有范围内的居民可以附议、表决或提异议。
delib-own-proposal = 这是你自己提的议题，不需要再附议。
delib-second-closed = 议题 { $label } 已不再征集附议。
delib-seconded-already = 你已经附议过 { $label } 了，每人一次。
delib-seconded = 👍 已附议 { $label }，目前共 { $seconds } 人附议。
delib-prioritised = ⏫ 议题 { $label } 已有 { $seconds } 人附议，已排到审核队列最前面，请尽快审核。

delib-card-head = 📋 <b>{ $label }</b> · 议题：{ $title }
delib-card-scope = 范围：{ $place }
delib-card-track = 类别：{ $track }
delib-card-status = 状态：{ $status } · 附议 { $seconds } 人
delib-card-option = 方案{ $mark }：{ $text }
delib-card-task = 落实任务 { $label }：{ $status }
delib-card-reason = 理由：{ $reason }
delib-card-tally = 当前票数：{ $tally }（已投 { $voters } 票）
delib-btn-second = 👍 附议（{ $seconds }）

delib-staff-overdue = ⚠️ 超过审核时限未答复，已上报社区。
delib-staff-due = 请在 { $due } 前答复（立项 / 合并 / 不予立项）。
delib-staff-no-options = 还没有方案，请添加至少一个方案后再开始表决。
delib-btn-accept = 立项·{ $track }
delib-btn-merge = 🔗 合并
delib-btn-decline = ✖️ 不予立项
delib-btn-option = ➕ 添加方案
delib-btn-open = 🗳 开始表决
delib-btn-close = ⏹ 提前结束表决
delib-btn-task = ➕ 落实任务
delib-btn-done = ✅ 已落实
delib-btn-object = ✋ 异议
delib-btn-answer = 💬 回复
delib-open-private-first = 请先私聊机器人并点“开始”，然后再按这个按钮。
delib-see-private = 请在私聊中继续。
delib-ask-merge = 要把 { $label } 合并到哪个议题？请发送那个议题的编号（如 P-0001）。
delib-ask-decline = 请写明 { $label } 不予立项的理由，提议人会收到这段话。
delib-ask-option = 请为 { $label } 发送一个方案的说明（可附一张照片或一个文件，说明写在附注里）。
delib-ask-object = 请写下你对 { $label } 表决结果的异议，社区工作人员会收到（不会显示你的姓名）。
delib-ask-task = 请描述 { $label } 的一项落实任务（要做什么、在哪里）。它会作为普通任务派发认领。
delib-ask-whisper = 请写下对悄悄话 { $label } 的答复，机器人会私下转给留言的人。
delib-accepted = ✅ 已立项 { $label }。
delib-accepted-notice = ✅ 你的议题 { $label } 已立项（{ $track }），社区正在拟定方案，之后会请大家表决。
delib-declined = 已将 { $label } 标记为不予立项，理由已告知提议人。
delib-declined-notice = 你的议题 { $label } 经审核不予立项。理由：{ $reason }
delib-merged = 已将 { $label } 合并到 { $into }。
delib-merged-notice = 你的议题 { $label } 与 { $into }“{ $title }”内容相近，已合并办理，请关注 { $into } 的进展。
delib-merge-target = 不能合并到 { $label }：请发送另一个仍在办理中的议题编号。
delib-reason-empty = 请写明理由（一段文字）。
delib-overdue-notice = ⚠️ 议题 { $label } 超过审核时限仍未答复，请尽快处理。
delib-option-empty = 方案说明不能为空，请用文字描述方案。
delib-option-added = ✅ 已为 { $label } 添加方案{ $mark }。
delib-too-many-options = 一个议题最多 { NUMBER($max, useGrouping: 0) } 个方案。
delib-no-options = { $label } 还没有方案，请先添加方案。

delib-vote-head = 🗳 <b>{ $label }</b> 表决：{ $title }
delib-vote-until = 截止时间：{ $until }
delib-vote-rule = 点下面的按钮投票，每户一票，截止前可以改票；只公布票数，不公布个人选择。
delib-vote-over = 表决已结束。
delib-vote-opened = 🗳 { $label } 已开始表决。
delib-vote-recorded = 已记录你家对 { $label } 的选择：{ $choice }。截止前可以改票。
delib-vote-changed = 已把你家对 { $label } 的选择改为：{ $choice }（只算一票）。
delib-vote-closed = { $label } 的表决已结束，不能再投票。
delib-vote-closed-by-staff = 已提前结束 { $label } 的表决，结果已公示。

delib-result-head = 📢 <b>{ $label }</b> 表决结果公示：{ $title }
delib-result-tally = 票数：{ $tally }
delib-result-turnout = 参与：{ $voters } / { $eligible } 户（{ $percent }%）
delib-result-passed = ✅ 表决通过：方案{ $mark }
delib-result-failed = ❌ 表决未通过
delib-result-no-quorum = ❌ 参与户数未达到要求，表决未通过
delib-result-publicity = 公示至 { $until }，如有异议请点“异议”。
delib-result-notice = 你的议题 { $label } 表决结果：{ $passed }。详情见群内公示。
delib-publicity-over = { $label } 的公示期已结束（或还未公示），不能再提异议。
delib-objection-empty = 请写明异议的内容。
delib-objection-sent = ✅ 你对 { $label } 的异议已转给社区工作人员。
delib-objection-notice = ✋ 有居民对 { $label } 的表决结果提出异议：{ $text }
delib-not-passed = { $label } 还没有表决通过，不能派发落实任务。
delib-task-empty = 请描述要落实的任务。
delib-task-added = ✅ 已派发落实任务 { $task }。
delib-task-notice = 🛠 议题 { $label } 的落实任务 { $task } 已派发，可以在任务卡片上认领。
delib-proposer-moved = 提议人已不在本社区登记，请由工作人员另行派发任务。
delib-tasks-open = { $label } 还有未完成的落实任务：{ $tasks }，完成后再标记已落实。
delib-implemented = ✅ 已将 { $label } 标记为已落实。
delib-implemented-notice = ✅ 议题 { $label }“{ $title }”已落实。感谢大家参与议事！

delib-topics-title = 📋 议事协商
delib-topics-screen = 待审核（附议多的在前）：
delib-topics-vote = 可以表决的议题：
delib-topics-mine = 我提的议题：
delib-topics-line = { $label } { $title } · { $status } · 附议 { $seconds }
delib-topics-vote-line = { $label } { $title } · { $voted }
delib-voted = 你家已投票
delib-not-voted = 还没投票（请到居民群的表决消息投票）
delib-topics-none = 目前没有你的议题，也没有待表决的事项。发送 /propose 提议题。

delib-whisper-usage = 请这样写：/whisper 你想说的话。内容会匿名转给社区工作人员，不会附上你的姓名或住址。
delib-whisper-empty = 悄悄话不能为空。
delib-whisper-sent = 🌳 悄悄话已匿名送达社区。工作人员回复后，机器人会私下转给你。
delib-whisper-limit = 每天最多发送 { $limit } 条悄悄话，请明天再发。
delib-whisper-private-only = 悄悄话请在私聊中发送给机器人，群里发的不是匿名的。
delib-whisper-card = 🌳 悄悄话 #{ $number }（匿名）
delib-whisper-card-answered = 已回复：{ $answer }
delib-whisper-answer = 🌳 社区回复了你的悄悄话“{ $asked }”：
    { $text }
delib-whisper-answered = 这条悄悄话已经有人回复过了。
delib-whisper-answered-ok = ✅ 答复已私下转给留言的人。
delib-answer-empty = 答复不能为空，请写下答复内容。

delib-daily-overdue-title = ⏰ 超过审核时限仍未答复的议题 { $count } 件（提议事事有回音）：
delib-daily-overdue-line = { $label } { $title } · 超期 { $days } 天 · 附议 { $seconds }
delib-monthly = 议事协商：收到议题 { $received } 件，按时答复 { $in_time } 件；表决 { $voted } 件，通过 { $passed } 件；落实 { $implemented } 件

delib-help-private = 议事协商：
    /propose — 提出议题（分步填写：标题、内容、照片、范围）
    /topics — 我的议题、可以表决的议题
    /whisper 内容 — 大树下的悄悄话：匿名留言给社区（每天条数有限）
delib-help-group = 议事协商：#议题 标题 内容 — 在群里提出议题；在议题卡片上点“附议”，在表决消息上投票（每户一票）。
delib-help-staff = 议事协商（网格员、社区管理员）：在议题审核卡片上“立项”（大事 / 小事 / 急事）、“合并”或“不予立项”；立项后“添加方案”“开始表决”；表决通过后“落实任务”“已落实”。/topics 查看待审核的议题。

delib-web-nav = 议事
delib-web-title = 议题
delib-web-track = 类别
delib-web-seconds = 附议
delib-web-turnout = 参与户数
delib-option-file = 📎 { $label } 方案{ $mark } 的附件
