# Answers that could not be given where they were asked for.

# A receipt sent privately because the group was too busy for it.
intake-receipt-private = ✅ Your post in “{ $chat }” was received: { $label } ({ $category }), status: { $status }. The group is very busy, so your receipt comes here; you will be told of progress here too.

# The duplicate question, asked privately because the group was too busy for it.
intake-duplicate-private = About your report in “{ $chat }”: a similar report, { $label }, is already being handled nearby. Is it the same thing? (The group is very busy, so I am asking you here.)
