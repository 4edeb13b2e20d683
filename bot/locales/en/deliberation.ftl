# Deliberation: collect proposals, screen, plan, vote, publish and implement, archive; whispers

cmd-propose = Make a proposal (deliberation)
cmd-topics = My proposals and open votes
cmd-whisper = Anonymous message to the community

delib-track-major = major
delib-track-minor = minor
delib-track-urgent = urgent
delib-scope-micro_grid = My estate (micro-grid)
delib-scope-grid = My grid
delib-scope-community = The whole community
delib-status-submitted = awaiting screening
delib-status-accepted = accepted, options being drafted
delib-status-merged = merged
delib-status-declined = declined
delib-status-voting = voting
delib-status-passed = passed, being implemented
delib-status-failed = not passed
delib-status-implemented = ✅ implemented
delib-passed-yes = passed
delib-passed-no = not passed
delib-choice-against = Against
delib-choice-abstain = Abstain

delib-ask-title = 📝 Send the proposal's title (at most { NUMBER($max, useGrouping: 0) } characters).
delib-ask-text = Describe the proposal: what the problem is and what you suggest (at most { NUMBER($max, useGrouping: 0) } characters).
delib-ask-photo = You may send a photo of the situation, or skip.
delib-ask-scope = Which area does it concern? Registered residents of that area can second and vote.
delib-confirm = Please confirm the proposal:
    Title: { $title }
    Text: { $text }
    Area: { $scope }
    Photo: { $photo }
delib-sent = ✅ Proposal submitted as { $label }. You will be told privately whether it is accepted.
delib-step-title = Please send the proposal's title (text).
delib-step-text = Please describe the proposal in text.
delib-step-photo = Please send a photo, or press "Skip".
delib-step-scope = Please choose the area with the buttons above.
delib-step-confirm = Please press "Submit" above, or "Cancel".
delib-group-usage = To propose, write: #议题 title text, e.g. #议题 Lift Building 2 has many elderly residents and needs a lift.
delib-group-receipt = ✅ Proposal { $label } received and sent for screening. Residents can second it on its card.
delib-group-receipt-private = ✅ Your proposal { $label } from "{ $chat }" was received and sent for screening.
delib-receipt = 📮 We received your proposal { $label }: { $title }
    The community will answer within { $days } days whether it is accepted; you will be told privately.
delib-register-first = Please register your address with /start first; then you can propose, second and vote.
delib-title-empty = The title is empty. Please send the proposal's title.
delib-text-empty = The text is empty. Please describe the proposal.
delib-too-long = That is too long ({ NUMBER($length, useGrouping: 0) } characters). Please shorten it to { NUMBER($max, useGrouping: 0) } and send it again.
delib-not-found = This proposal does not exist any more.
delib-bad-number = "{ $text }" is not a proposal number. Please send a number like P-0001.
delib-no-such-number = There is no proposal { $label } in this community. Please check the number and send it again.
delib-stale = Proposal { $label } has moved on; this button is out of date. Please use the latest card.
delib-stale-button = This button is out of date. Please use the latest card.
delib-staff-only = Only the grid workers or community admins responsible for this area can do this.
delib-outside-scope = Proposal { $label } is outside the area of your registered address; only residents of that area can second, vote or object.
delib-own-proposal = This is your own proposal; there is no need to second it.
delib-second-closed = Proposal { $label } no longer takes seconds.
delib-seconded-already = You have seconded { $label } already; one second per person.
delib-seconded = 👍 You seconded { $label }; { $seconds } residents have seconded it.
delib-prioritised = ⏫ Proposal { $label } has { $seconds } seconds and is now first in the screening queue. Please screen it soon.

delib-card-head = 📋 <b>{ $label }</b> · Proposal: { $title }
delib-card-scope = Area: { $place }
delib-card-track = Track: { $track }
delib-card-status = Status: { $status } · { $seconds } seconds
delib-card-option = Option { $mark }: { $text }
delib-card-task = Task { $label }: { $status }
delib-card-reason = Reason: { $reason }
delib-card-tally = Votes so far: { $tally } ({ $voters } cast)
delib-btn-second = 👍 Second ({ $seconds })

delib-staff-overdue = ⚠️ Not answered within the screening time; moved up to the community.
delib-staff-due = Please answer by { $due } (accept / merge / decline).
delib-staff-no-options = No options yet. Add at least one option before opening the vote.
delib-btn-accept = Accept · { $track }
delib-btn-merge = 🔗 Merge
delib-btn-decline = ✖️ Decline
delib-btn-option = ➕ Add option
delib-btn-open = 🗳 Open the vote
delib-btn-close = ⏹ Close the vote now
delib-btn-task = ➕ Implementation task
delib-btn-done = ✅ Implemented
delib-btn-object = ✋ Object
delib-btn-answer = 💬 Answer
delib-open-private-first = Please open a private chat with the bot and press Start first, then press this button again.
delib-see-private = Please continue in the private chat.
delib-ask-merge = Merge { $label } into which proposal? Send its number (e.g. P-0001).
delib-ask-decline = Please write why { $label } is declined; the proposer receives these words.
delib-ask-option = Send the description of an option for { $label } (with a photo or a file if useful, the description as its caption).
delib-ask-object = Write your objection to the result of { $label }; the community staff receive it (without your name).
delib-ask-task = Describe an implementation task of { $label } (what and where). It becomes an ordinary task to claim.
delib-ask-whisper = Write the answer to whisper { $label }; the bot passes it privately to its sender.
delib-accepted = ✅ { $label } accepted.
delib-accepted-notice = ✅ Your proposal { $label } was accepted ({ $track }). The community is drafting options; then residents will vote.
delib-declined = { $label } declined; the proposer has been told why.
delib-declined-notice = Your proposal { $label } was not accepted. Reason: { $reason }
delib-merged = { $label } merged into { $into }.
delib-merged-notice = Your proposal { $label } is close to { $into } "{ $title }" and is handled with it; please follow { $into }.
delib-merge-target = Cannot merge into { $label }: please send the number of another proposal still under way.
delib-reason-empty = Please write the reason (text).
delib-overdue-notice = ⚠️ Proposal { $label } has not been answered within the screening time. Please screen it soon.
delib-option-empty = The option needs a description in text.
delib-option-added = ✅ Option { $mark } added to { $label }.
delib-too-many-options = A proposal has at most { NUMBER($max, useGrouping: 0) } options.
delib-no-options = { $label } has no options yet. Please add one first.

delib-vote-head = 🗳 <b>{ $label }</b> vote: { $title }
delib-vote-until = Closes: { $until }
delib-vote-rule = Vote with the buttons below: one vote per household, changeable until the close. Only totals are shown, never who chose what.
delib-vote-over = The vote is closed.
delib-vote-opened = 🗳 The vote on { $label } is open.
delib-vote-recorded = Your household's choice on { $label } is recorded: { $choice }. You can change it until the close.
delib-vote-changed = Your household's choice on { $label } is now: { $choice } (it counts once).
delib-vote-closed = The vote on { $label } is closed; no more votes are taken.
delib-vote-closed-by-staff = The vote on { $label } was closed early; the result is published.

delib-result-head = 📢 <b>{ $label }</b> result: { $title }
delib-result-tally = Votes: { $tally }
delib-result-turnout = Turnout: { $voters } / { $eligible } households ({ $percent }%)
delib-result-passed = ✅ Passed: option { $mark }
delib-result-failed = ❌ Not passed
delib-result-no-quorum = ❌ Not passed: too few households voted
delib-result-publicity = Published until { $until }; press "Object" to raise an objection.
delib-result-notice = Result of your proposal { $label }: { $passed }. See the announcement in the group.
delib-publicity-over = The publicity period of { $label } is over (or has not begun); objections are closed.
delib-objection-empty = Please write what your objection is.
delib-objection-sent = ✅ Your objection to { $label } was passed to the community staff.
delib-objection-notice = ✋ A resident objects to the result of { $label }: { $text }
delib-not-passed = { $label } has not passed a vote; no implementation tasks yet.
delib-task-empty = Please describe the task.
delib-task-added = ✅ Implementation task { $task } created.
delib-task-notice = 🛠 Implementation task { $task } of proposal { $label } is out; it can be claimed on its card.
delib-proposer-moved = The proposer is no longer registered here; staff need to create the task otherwise.
delib-tasks-open = { $label } still has open tasks: { $tasks }. Mark it implemented when they are done.
delib-implemented = ✅ { $label } marked implemented.
delib-implemented-notice = ✅ Proposal { $label } "{ $title }" is implemented. Thank you all for taking part!

delib-topics-title = 📋 Deliberation
delib-topics-screen = Awaiting screening (most seconded first):
delib-topics-vote = Open votes you can take part in:
delib-topics-mine = My proposals:
delib-topics-line = { $label } { $title } · { $status } · { $seconds } seconds
delib-topics-vote-line = { $label } { $title } · { $voted }
delib-voted = your household has voted
delib-not-voted = not voted yet (vote on the ballot in your residents' group)
delib-topics-none = You have no open proposals and there is no vote for you. Send /propose to make one.

delib-whisper-usage = Write: /whisper what you want to say. It reaches the community staff anonymously, without your name or address.
delib-whisper-empty = The message is empty.
delib-whisper-sent = 🌳 Your message reached the community anonymously. If staff answer, the bot passes it to you privately.
delib-whisper-limit = At most { $limit } anonymous messages a day. Please send it tomorrow.
delib-whisper-private-only = Please send anonymous messages to the bot in private; in a group they are not anonymous.
delib-whisper-card = 🌳 Anonymous message #{ $number }
delib-whisper-card-answered = Answered: { $answer }
delib-whisper-answer = 🌳 The community answered your anonymous message "{ $asked }":
    { $text }
delib-whisper-answered = This message has been answered already.
delib-whisper-answered-ok = ✅ The answer was passed privately to the sender.
delib-answer-empty = The answer is empty. Please write it.

delib-daily-overdue-title = ⏰ { $count } proposals not answered within their screening time (every proposal gets an answer):
delib-daily-overdue-line = { $label } { $title } · { $days } days over · { $seconds } seconds
delib-monthly = Deliberation: { $received } proposals received, { $in_time } answered in time; { $voted } voted, { $passed } passed; { $implemented } implemented

delib-help-private = Deliberation:
    /propose — make a proposal (step by step: title, text, photo, area)
    /topics — my proposals and the votes I can take part in
    /whisper text — an anonymous message to the community (a few a day)
delib-help-group = Deliberation: #议题 title text — propose in the group; press "Second" on a proposal's card, and vote on the ballot (one vote per household).
delib-help-staff = Deliberation (grid workers, community admins): on a screening card "Accept" (major / minor / urgent), "Merge" or "Decline"; then "Add option" and "Open the vote"; after it passes, "Implementation task" and "Implemented". /topics lists proposals awaiting screening.

delib-web-nav = Proposals
delib-web-title = Proposal
delib-web-track = Track
delib-web-seconds = Seconds
delib-web-turnout = Turnout
delib-option-file = 📎 Attachment of { $label } option { $mark }
