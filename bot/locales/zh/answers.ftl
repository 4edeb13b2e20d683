# Answers that could not be given where they were asked for.

# A receipt sent privately because the group was too busy for it.
intake-receipt-private = ✅ 你在「{ $chat }」发的内容已收到：{ $label }（{ $category }），状态：{ $status }。群里消息太多，回执改为私信发给你；处理进度也会私信通知你。

# The duplicate question, asked privately because the group was too busy for it.
intake-duplicate-private = 你在「{ $chat }」反映的问题，附近已有一条类似的诉求 { $label } 正在处理。是同一件事吗？（群里消息太多，改为私信问你。）
