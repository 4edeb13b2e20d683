## Errors and refusals

error-generic = That did not work. Please try again later.
error-not-found = Nothing found; it may have been removed.
error-not-allowed = You are not allowed to do that.
error-stale = This button is out of date (things have moved on, or it is not yours). Please use the latest message.
error-invalid-input = That input was not understood; please check it and try again.
error-place-gone = The place you picked no longer exists; please pick again.
error-room-invalid = Please keep the room number within { $max } characters, e.g. 302. Type it again, or press “Skip”.
error-internal = Sorry, something went wrong and it has been logged. Nothing you typed is lost; please try again in a moment.
flood-slow-down = You are going a bit fast. Please wait a moment before continuing.

## Registration

reg-welcome = Hello! I am the community grid assistant. First, register your address so your requests reach the right micro-grid.
reg-welcome-group = Hello! You came from the group of “{ $micro_grid }”; just pick your building and unit.
reg-no-places = There is no community to register with yet. Please ask community staff to import the grid structure first.
reg-pick-community = Pick your community:
reg-pick-micro-grid = Pick your estate / micro-grid:
reg-pick-building = Pick your building:
reg-pick-unit = Pick your unit:
reg-ask-room = Type your room number (e.g. 302). Only the staff handling your requests will see it; it is never shown in groups. You can also skip this.
reg-skip-room = Skip
reg-confirm-prompt = Please confirm your address:
    <b>{ $address }</b>
reg-confirm = ✅ Confirm
reg-restart = ↩️ Start over
reg-change = ✏️ Change address
reg-done-short = Registered
reg-done = ✅ You are registered! You can now report issues and post micro-wishes, here or in your group. Send /help to see the commands.
reg-already = Your registered address:
    Community: { $community }
    Micro-grid: { $micro_grid }
    Building: { $building }
    Unit: { $unit }
    Room: { $room }
cancelled = Cancelled. Send /start whenever you want to begin again.
nothing-to-cancel = There is nothing in progress to cancel.
page-previous = ◀️ Previous
page-next = Next ▶️

## Groups

group-register-first = Please register your address in a private chat first (room numbers and other private details never appear in the group). Press the button below to begin.
group-start-registered = Personal matters are handled in a private chat; press the button below to open it.
open-private-chat = 🔒 Open private chat

## Admin: binding groups

bind-usage = Usage: /bind micro-grid name (if the name is not unique: /bind community/micro-grid)
bind-not-found = No micro-grid is called “{ $name }”. Check the name, or import the grid structure first with gridbot import.
bind-not-admin = Only an admin of the community can bind a group.
bind-ambiguous = Several micro-grids are called “{ $name }”; write /bind community/{ $name }
bind-done = ✅ This group is now bound to “{ $community } · { $micro_grid }”.
bind-released = Its previous binding to “{ $micro_grid }” was released.
bind-privacy-warning = ⚠️ The bot can only see commands in this group, so hashtags such as #报事 and #微心愿 are not noticed. In BotFather, send /setprivacy for @{ $bot } and choose Disable, or make the bot a group admin. Commands such as /report always work.

## Help

help-intro-private = <b>Community grid assistant</b>
help-intro-group = <b>Community grid assistant</b> (group commands)
help-unregistered = You have not registered your address yet: send /start to begin.
help-resident-private = Residents:
    /start — register or change your address
    /report — report a problem (step by step: category, text, photo, location)
    /wish — post a micro-wish
    /my — your requests and wishes
    /volunteer — become a volunteer
    /language — change language
    /cancel — cancel what you are doing
help-resident-group = Residents:
    /report text or #报事 text — report a problem (add #急 if urgent)
    /wish text or #微心愿 text — post a micro-wish
    /start — register your address in a private chat
help-volunteer = Volunteers: press “Claim” on a micro-wish card in the group; /tasks lists what you claimed.
help-leader = Micro-grid leaders: press “Claim”, “Escalate” or “Duplicate” on report cards in the leaders' chat; /tasks lists open work;
    /reject number reason, /escalate number reason, /merge number target.
    /web — open the workbench in a browser (a sign-in link comes privately)
help-grid-worker = Grid workers: receive overdue requests; /reassign number micro-grid moves one.
    /web — open the workbench in a browser (a sign-in link comes privately)
help-merchant = Partner shops: verify point vouchers (coming soon).
help-admin = Community admins:
    /bind micro-grid name — send in a group to bind it to a micro-grid
    /web — open the workbench in a browser (a sign-in link comes privately)
help-footer-private = For anything else, contact your community staff.
help-footer-group = Private details are only asked in a private chat, never in the group.

## Language

language-choose = 请选择语言 / Choose a language:
language-set = Language set to English.
unknown-private = I did not understand that. Send /help to see what I can do.

## Command menu

cmd-start = Register / change address
cmd-help = Help
cmd-language = Change language
cmd-cancel = Cancel what you are doing
cmd-bind = Bind this group to a micro-grid (admins)

## Requests: words

kind-report = Report
kind-wish = Micro-wish
urgent-mark = 🔴 Urgent
yes = yes
no = no
status-submitted = awaiting your answer
status-routed = waiting to be claimed
status-claimed = claimed
status-in-progress = in progress
status-resolved = resolved
status-closed = closed
status-rejected = rejected
status-merged = merged

## Requests: refusals

request-register-first = Please register your address first: send /start to me in a private chat, then post your report or wish.
request-text-empty = Please describe it, e.g. “The stairway light in building 3, unit 2 is out”.
request-text-too-long = That is too long ({ $length } characters); please keep it within { $max }. Nothing was saved as a request; please shorten it and send it again.
request-note-empty = The note cannot be empty; press “Skip” if there is nothing to add.
request-reason-empty = Please give a reason; the resident will see it.
request-category-gone = That category is no longer in use; please pick another.
request-not-found = Nothing found.
request-not-yours = This is not your request.
request-not-your-task = You did not claim this task; only its claimer can do that.
request-claim-not-allowed = Only the leaders of “{ $micro_grid }” (or its grid workers and community admins) can claim this report.
request-claim-wish-not-allowed = Only volunteers and leaders of “{ $micro_grid }” can claim micro-wishes (not the person who posted it). To volunteer, send /volunteer to me in a private chat.
request-already-claimed = { $label } was claimed by { $by }.
request-already-resolved = { $label } is already resolved.
request-already-closed = { $label } is closed (rejected or merged).
request-at-top = { $label } is already at the community level and cannot go higher.
request-staff-only = Only the responsible leaders, grid workers or community admins can do that.
request-reassign-not-allowed = Only grid workers and community admins can reassign.
request-micro-grid-gone = That micro-grid does not exist.
request-bad-number = “{ $text }” is not a request number; numbers look like R-0042 or W-0007.
request-no-such-number = There is no { $label }.
request-merge-target-invalid = Cannot merge into { $label }: it is not another open request.
request-not-ratable = { $label } cannot be rated now (not resolved yet, or rated already).
request-rating-range = Ratings are 1 to 5 stars.

## Requests: intake

intake-usage-report = Write the problem after the command, e.g. /report The stairway light in building 3 is out. Or send /report to me in a private chat to fill it in step by step.
intake-usage-wish = Write your wish after the command, e.g. /wish I need a wheelchair for a week. Or send /wish to me in a private chat.
intake-receipt = ✅ Received { $label } ({ $category }), status: { $status }. You will be told of progress in a private message.
intake-duplicate = A similar report, { $label }, is already being handled nearby. Is it the same thing?
intake-plus-one = 👍 Counted as +1 on { $label }; you will be told of its progress.
intake-routed-anyway = ✅ Sent on as a new report, { $label }.
btn-dup-same = 👍 Same thing (+1)
btn-dup-new = No, it is a new problem

flow-ask-category = Pick a category:
flow-ask-text-report = Describe the problem (within { $max } characters), e.g. “The stairway light in building 3, unit 2 is out”.
flow-ask-text-wish = Write your micro-wish (within { $max } characters), e.g. “Someone to help change my living-room light bulb”.
flow-ask-photo = Send a photo if you like, or press “Skip”.
flow-ask-location = Send a location if you like (📎 → Location), or press “Skip”.
flow-ask-urgent = Is it urgent? Urgent matters go to the grid workers at once.
flow-ask-share = May the person who takes it see your name and room number, to visit you?
flow-confirm = Please confirm:
    { $text }
    Photo: { $photo } · Urgent: { $urgent } · Contact shared with the claimer: { $share }
flow-sent = ✅ Sent as { $label }; you will be told of progress in a private message. Send /my to see all your requests.
btn-cancel = Cancel
btn-skip = Skip
btn-submit = ✅ Send
btn-urgent = 🔴 Urgent
btn-not-urgent = Not urgent
btn-share-yes = Yes
btn-share-no = No

## Requests: cards

card-waiting = Status: { $status } · claim by { $deadline }
card-claimed = Status: { $status } · by { $name } · resolve by { $deadline }
card-status = Status: { $status }
card-why-escalated = ⬆️ Escalated (overdue or by hand)
card-why-urgent = 🔴 Urgent, please watch
card-why-reopened = 🔁 Reopened: the resident was not satisfied
card-why-reassigned = ↪️ Reassigned to this micro-grid
card-reason = Note: { $reason }
card-resident-comment = Resident's comment: { $comment }
card-contact = Contact: { $contact } · room: { $room }
card-contact-private = The resident did not share contact details; arrange a visit in the group if needed.
card-location = Location: { $lat }, { $lon }
btn-claim = 🙋 Claim
btn-escalate = ⬆️ Escalate
btn-duplicate = 🔁 Duplicate
btn-start = ▶️ Start
btn-resolve = ✅ Resolved
btn-hand-back = ↩️ Hand back
btn-reject = ⛔ Reject
btn-follow = 🔎 Follow
btn-open-private = 🔒 Open private chat

## Requests: working on them

task-claimed = You claimed { $label }; the details are in your private chat.
task-open-private-first = Please send /start to me in a private chat once, then press this button again.
task-see-private = Please continue in the private chat.
task-ask-escalate = Reply with the reason for escalating { $label }, or press “Skip”.
task-ask-resolve = Reply with a note on how { $label } was resolved (a photo works too), or press “Skip”.
task-ask-reject = Reply with the reason for rejecting { $label } (the resident will see it).
task-ask-merge = Which request is { $label } a duplicate of?
task-no-merge-candidates = There is no other open request in this micro-grid to merge with.
task-done-start = { $label } is now in progress.
task-done-hand-back = { $label } was handed back and waits for a new claimer.
task-done-escalate = { $label } was escalated one level up.
task-done-resolve = { $label } is resolved; the resident has been asked to rate it.
task-done-reject = { $label } was rejected; the resident will see the reason.
task-done-merge = Merged into { $label }.
task-done-reassign = { $label } was reassigned.
tasks-title = Open tasks (page { $page }/{ $pages }):
tasks-empty = No open tasks right now.
tasks-staff-only = /tasks is for leaders, grid workers and volunteers.
usage-reject = Usage: /reject R-0042 reason
usage-escalate = Usage: /escalate R-0042 reason
usage-merge = Usage: /merge R-0043 R-0042 (merges the first into the second)
usage-reassign = Usage: /reassign R-0042 micro-grid name

## Requests: notices to residents

notice-received = { $label } was received and is on its way to the responsible leaders.
notice-claimed = { $label } has been claimed and is being arranged.
notice-in-progress = { $label } is in progress.
notice-resolved = { $label } has been resolved. { $note }
notice-handed-back = { $label } is being given to someone else to handle.
notice-rejected = { $label } was not accepted. Reason: { $reason }
notice-escalated = { $label } was escalated one level up to speed it along.
notice-reassigned = { $label } was passed to a better-placed micro-grid.
notice-merged = { $label } is the same matter as { $into } and is handled with it.
notice-claimer-confirmed = The resident confirmed { $label } was fulfilled. Thank you for helping!
notice-claimer-not-fulfilled = The resident says { $label } is not fulfilled yet; please check with them.
private-fallback = { $mention }, you have a new notification. Press the button below to read it in a private chat (press “Start” once).
private-fallback-member = member

## Closing the loop

rate-ask = { $label } has been resolved. Please rate the service:
rate-ask-satisfied = You gave { $stars }. Are you satisfied with the result?
rate-ask-comment = Anything to add? Reply, or press “Skip”.
rate-ask-comment-bad = Please tell us what was wrong; it will be handled again. Reply, or press “Skip”.
rate-thanks = Thank you! { $label } is closed.
rate-reopened = Thank you for telling us; { $label } has been reopened and will be handled again.
btn-satisfied = 😊 Satisfied
btn-not-satisfied = 😞 Not satisfied
wish-confirm-ask = The claimer of your micro-wish { $label } says it is done. Was it fulfilled?
btn-wish-fulfilled = ✅ Fulfilled
btn-wish-not-yet = Not yet
wish-closed = 🎉 Micro-wish { $label } fulfilled; thank you for confirming!
wish-not-yet = The claimer has been told { $label } is not fulfilled yet.
my-title = My requests and wishes (page { $page }/{ $pages }):
my-empty = You have not posted any requests or wishes yet. Send /report to report a problem or /wish to post a micro-wish.
volunteer-welcome = 🙌 You are now a volunteer of your micro-grid and can claim micro-wishes in the group.
volunteer-already = You are a volunteer already.

cmd-report = Report a problem
cmd-wish = Post a micro-wish
cmd-my = My requests
cmd-tasks = My open tasks (leaders)
cmd-volunteer = Become a volunteer

## Points

points-not-enough = Not enough points: { $need } needed, your balance is { $have }.
points-register-first = Please register first: send /start to me in a private chat; then you can see your points and order rewards.
points-admin-only = Only community admins can adjust points.
points-reason-needed = Please give a reason; the member will see it.
points-amount-invalid = The amount must be a non-zero whole number up to { $limit }.
points-balance = 💰 Your points: <b>{ $balance }</b>
points-entry = { $date } { $amount } { $reason } { $note }
ledger-service = volunteer service
ledger-wish = micro-wish fulfilled
ledger-task = report resolved
ledger-order-hold = held for an order
ledger-refund = order refunded
ledger-adjustment = admin adjustment
rewards-none = There are no rewards in your community yet.
rewards-title = 🎁 Points shop (your points: { $balance }). Orders are filled once a week; ordering holds the points, and what cannot be filled is refunded.
rewards-line = • { $name } ({ $merchant }) — { $cost } points, { $remaining } left this week
btn-order = Order { $name } ({ $cost } points)
order-placed = Ordered; { $cost } points held, { $balance } left. You will get a voucher code after the weekly redemption.
reward-gone = That reward is no longer offered.
reward-other-community = You can only order rewards of your own community.
verify-usage = Usage: /verify CODE (the code is printed under the customer's QR image)
verify-no-qr = No QR code could be read in that photo. Send a sharper photo, or type /verify CODE.
verify-ok = ✅ Valid code, now used. Hand over: { $reward } ({ $holder })
voucher-merchants-only = Only members of a partner shop can verify voucher codes.
voucher-unknown = There is no voucher { $code }; please check it.
voucher-foreign = Voucher { $code } belongs to another shop; the customer should use it there.
voucher-used = Voucher { $code } was already used at { $at } and cannot be used again.
adjust-usage = Usage: /adjust TELEGRAM_ID AMOUNT REASON, e.g. /adjust 5001 20 community clean-up day
adjust-done = Done; the member now has { $balance } points.
notice-points-adjusted = An admin adjusted your points by { $amount } (reason: { $reason }); you now have { $balance }.
notice-points-earned = 🎉 You earned { $amount } points ({ $why }); you now have { $balance }.
notice-voucher-issued = 🎁 Your order is ready: { $reward }. Voucher code <b>{ $code }</b>; show the QR image or the code at the shop. It works once.
notice-order-refunded = { $reward } ran out this week; the { $amount } points held were refunded. You have { $balance }.
cmd-points = My points
cmd-rewards = Points shop
cmd-verify = Verify a voucher (shops)

## Volunteer service

activity-usage = Usage (in a private chat, fields separated by |):
    /activity title | place | start | end | points per hour | points for attending | slots
    e.g. /activity Stairway clean-up | Building 2 | 2026-11-28 09:00 | 11:00 | 10 | 5 | 20
    Community admins may add “| micro-grid name” at the end.
activity-organisers-only = Only micro-grid leaders and community admins can announce activities.
activity-bad-times = The end must be after the start.
activity-bad-slots = Slots must be between 1 and { $max }.
activity-bad-points = Points must be between 0 and { $max }.
activity-bad-title = Title and place must not be empty and stay within { $max } characters.
activity-gone = That activity no longer exists.
activity-other-community = You can only sign up for activities of your own community.
activity-over = That activity is over.
activity-already-signed = You have signed up already.
activity-full = It is full ({ $slots } people).
activity-created = ✅ “{ $title }” was announced in your micro-grid's group.
activity-signed-up = ✅ Signed up; { $count } so far.
activity-card = 📣 Volunteer activity: <b>{ $title }</b>
    Place: { $place }
    Time: { $start } – { $end }
    Points: { $per_hour } per hour, { $per_attendance } for attending
    Slots: { $slots }
btn-signup = ✋ Sign up
btn-checkin = 📍 Check in
checkin-outside-window = It is not check-in time for “{ $title }” (from 15 minutes before it starts to 15 minutes after it ends).
checkin-already-open = You are still checked in somewhere; send /checkout first.
checkin-done = 📍 Checked in: { $title }. Send /checkout when you leave.
checkout-nothing-open = You are not checked in to an activity.
checkout-done = 👋 Checked out after { $minutes } minutes; { $points } points earned.
checkin-usage = Usage: /checkin what you did, e.g. /checkin Shopping for an elderly neighbour (a photo is welcome). For an activity, press “Check in” on its message.
checkin-describe = Please say what you did (within { $max } characters).
checkin-submitted = ✅ Service recorded; waiting for a leader's stamp.
checkin-gone = That check-in no longer exists.
checkin-leaders-only = Only leaders of this micro-grid can stamp it.
checkin-not-own = You cannot stamp your own service; another leader will.
checkin-reviewed-already = That check-in was handled already.
checkin-review-card = 🌸 Service to stamp: { $name }
    { $what }
    Photo: { $photo }
btn-approve = ✅ Stamp
btn-disapprove = ⛔ Decline
checkin-ask-reason = Reply with the reason for declining (the volunteer will see it).
checkin-rejected-card = Declined: { $what }; the volunteer will see the reason.
notice-checkin-approved = 🌸 Your service “{ $what }” was stamped: { $points } points (now { $balance }).
notice-checkin-rejected = Your service check-in “{ $what }” was declined. Reason: { $reason }
cmd-checkin = Record a service
cmd-checkout = Check out of an activity
cmd-activity = Announce an activity (leaders)

## The rhythm

daily-digest = 📋 { $micro_grid } · daily feedback for { $date }
    New: { $new } · claimed: { $claimed } · resolved: { $resolved }
    Overdue: { $overdue } · check-ins waiting for a stamp: { $waiting }
daily-resident-title = 📬 Your requests moved on { $date }:
daily-resident-line = • { $label }: { $status }
rate-reminder = { $label } was resolved over a day ago and has not been rated yet. It takes a few seconds:
monthly-title = 📊 Monthly summary for { $month }
monthly-stats = <b>{ $name }</b>: { $total } requests ({ $categories })
    response { $response } · resolution { $resolution } · satisfaction { $satisfaction }
    median { $claim } h to claim · { $resolve } h to resolve
monthly-top-points = Most points: { $names }
monthly-top-hours = Most hours of service: { $names }
monthly-chart = Response, resolution and satisfaction rates by grid
monthly-workbook = This month's requests, check-ins and points (XLSX)
yearly-roll = 🏅 { $community }: honour roll { $year }
    
    Volunteers:
    { $volunteers }
    
    Leaders:
    { $leaders }
    
    Micro-grids:
    { $micro_grids }
yearly-volunteer = { $name } ({ $points } points)
yearly-leader = { $name } ({ $count } resolved)
yearly-micro-grid = { $name } ({ $resolved } resolved, { $rate } satisfied)
