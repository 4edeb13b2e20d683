# Answers that could not be given where they were asked for.

# A receipt sent privately because the group was too busy for it.
intake-receipt-private = ✅ 你在「{ $chat }」发的内容已收到：{ $label }（{ $category }），状态：{ $status }。群里消息太多，回执改为私信发给你；处理进度也会私信通知你。
