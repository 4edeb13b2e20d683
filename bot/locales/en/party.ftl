# Party members and partner units (双报到、亮身份、承诺践行), and 街道吹哨、部门报到.

party-badge = { $name } [Party member]

## Registering (/party)
party-register-first = Please register your address first (send /start), then register as a party member.
party-choose-kind = <b>Party member registration</b>
    Choose how you register: in-service member (working at a partner unit) or community member. Once the community confirms, your name carries the party badge on cards.
party-btn-in-service = 🏢 In-service member
party-btn-community = 🏠 Community member
party-choose-unit = Choose the partner unit you work at:
party-no-units = This community has no partner units listed yet: ask the community staff, or register as a community member.
party-unit-gone = That unit is no longer on this community's list: send /party and choose again.
party-asked = Registration sent; the community will confirm it and you will be told in private.
party-already-pending = Your registration is waiting for the community to confirm it.
party-already-confirmed = You are already a confirmed party member of this community.
party-already-declined = This registration has been declined already.
party-already-left = This registration has been withdrawn already.
party-you-are-pending = Your registration (unit: { $unit }) is waiting for the community to confirm it.
party-you-are-confirmed = 🎖 You are a confirmed party member of this community (unit: { $unit }). Send /pledge to make a pledge, /pledges to see how you keep them.
party-btn-leave = Leave the party member role
party-leave-ask = Leave the party member role? Your name will no longer carry the badge.
party-btn-leave-sure = Yes, leave
party-left = You left the party member role. Send /party to register again at any time.
party-not-a-member = You are not a registered party member of this community.

## The admins' card
party-review-card = <b>Party member registration</b>: { $name }
    As: { $kind }
    Lives in micro-grid: { $micro_grid }
party-kind-in-service = in-service member ({ $unit })
party-kind-community = community member
party-status-pending = Status: waiting for confirmation
party-status-confirmed = Status: ✅ confirmed
party-status-declined = Status: ⛔ declined
party-status-left = Status: left
party-declined-reason = Declined because: { $reason }
party-btn-confirm = ✅ Confirm
party-btn-decline = ⛔ Decline
party-admins-only = Only an admin of this community can confirm party members.
party-not-found = This registration cannot be found; it may have been withdrawn.
party-ask-reason = Please send the reason for declining (one sentence); the applicant will be told.
party-reason-empty = The reason cannot be empty: please say it in one sentence.
party-confirmed-done = Confirmed.
party-declined-done = Declined; the applicant has been told why.
party-notice-confirmed = 🎖 The community confirmed you as a party member. What you claim, resolve and get stamped carries the party badge; send /pledge to make this year's pledges.
party-notice-declined = Your party member registration was declined: { $reason }
    Ask the community staff if anything is unclear, or send /party to register again.

## Wishes offered to party members first
party-offer-title = 🎖 <b>Party members first</b>: until { $until } only party members of this micro-grid may claim it
party-offer-title-open = 🎖 <b>Party members first</b> wish (now open to every volunteer)
party-first-members-only = { $label } is offered to party members first: until { $until } only confirmed party members of its micro-grid may claim it; then every volunteer can.
party-first-other-grid = { $label } is offered to party members first: until { $until } only party members of its own micro-grid may claim it.
party-first-usage = Usage: /partyfirst wish number, e.g. /partyfirst W-0003
party-first-done = { $label } is now offered to party members first; the micro-grid's party members were told in private.
party-first-already = { $label } is already offered to party members first.
party-first-wishes-only = { $label } is not a wish: only wishes can be offered to party members first.
party-first-not-open = { $label } is no longer waiting to be claimed.
party-staff-only = Only the micro-grid's leaders, its grid worker or a community admin can offer a wish to party members first.

## Pledges
party-members-only = Only confirmed party members make and see pledges. Send /party to register.
party-pledge-usage = Usage: /pledge what you pledge, e.g. /pledge help an elderly neighbour once a month
party-pledge-empty = The pledge cannot be empty.
party-pledge-too-many = At most { $max } pledges a year.
party-pledge-made = Your pledge for { $year } is recorded: { $text }
    Send /pledges to see your progress and link stamped services or claimed wishes to it.
party-pledges-none = You have made no pledge this year yet. Send /pledge and what you pledge.
party-pledges-title = <b>Pledges of { $year }</b>
party-pledge-line = { $number }. { $text } — kept { $count } times: { $kept }
party-btn-link = 🔗 Link to no. { $number }
party-pledge-choose = Choose the service or wish that keeps this pledge:
party-pledge-nothing-to-link = Nothing to link: stamped services and wishes you claimed are listed here.
party-pledge-gone = This pledge cannot be found.
party-pledge-link-gone = This is not a stamped service or a wish you claimed.
party-pledge-not-stamped = This service is not stamped yet; link it once it is.
party-pledge-linked = Linked to your pledge: { $text }
party-pledge-linked-already = This is linked to a pledge already.

## Whistle and report-in
party-btn-whistle = 📣 Whistle
party-whistle-usage = Usage: /whistle request number department [reason], e.g. /whistle R-0042 城管执法中队 street stalls need enforcement
party-whistle-admins-only = Only an admin of this community can blow the whistle.
party-whistle-not-escalated = { $label } has not been escalated to the community: only open requests escalated to the community can be whistled for.
party-whistle-already = The whistle was already blown for { $label } to { $department }.
party-department-gone = This department is no longer on the community's list.
party-department-unknown = There is no department named “{ $name }”: check the name (structure file, departments:).
party-no-departments = This community has no departments listed yet (structure file, departments:).
party-whistle-choose = Which department do you whistle for on { $label }?
party-whistled = 📣 Whistle blown for { $label } to { $department }; waiting for it to report in.
party-whistle-card = 📣 <b>The community blows the whistle</b> · { $department }
party-whistle-reason = Reason: { $reason }
party-whistle-due = Please report in by { $due }
party-whistle-reported = ✅ Reported in ({ $at })
party-whistle-reported-late = ⚠️ Reported in ({ $at }, late)
party-whistle-done = ✅ Done ({ $at }): { $note }
party-btn-report-in = 🙋 Report in
party-btn-done = ✅ Done
party-whistle-gone = This whistle cannot be found.
party-whistle-not-your-department = Only the contacts of { $department } can act on this card.
party-whistle-reported-already = { $department } has reported in already.
party-whistle-reported-in = Reported in. Press “Done” once it is dealt with.
party-whistle-report-in-first = Please press “Report in” first, then “Done”.
party-whistle-done-already = { $department } has reported it done already.
party-whistle-note-in-private = Please send the note on what was done in your private chat with me.
party-whistle-ask-note = Please send a note on what was done and how it ended; the resident will be told.
party-note-empty = The note cannot be empty: please say it in one sentence.
party-whistle-done-recorded = Done; the note is recorded and the resident told.
party-whistle-reminder = ⏰ { $department }: the community blew the whistle for { $label } and you have not reported in within the response time. Please report in now.
party-resident-whistled = The community blew the whistle on { $label }: { $department } is asked to deal with it.
party-resident-reported-in = { $department } reported in on { $label } and is dealing with it.
party-resident-done = { $department } reported { $label } done: { $note }

## Help
party-help = Party members: /party to register (in-service or community member); once the community confirms, your name carries the party badge on cards; wishes offered to party members first are sent to you in private; /pledge to make this year's pledges, /pledges to see and link what keeps them.
party-help-admin = Party building: confirm or decline registrations on their cards; /partyfirst wish number offers a wish to party members first; on a request escalated to the community press “📣 Whistle” or send /whistle request number department reason; the department's report-in and done go into the request's trail.

## The yearly commendation
party-yearly-pledges = <b>Party members who kept their pledges</b> (every one of them):
    { $names }
party-yearly-keeper = { $name } ({ $count } pledges)

## Monthly unit reports
party-unit-report-title = <b>{ $unit } · { $month }: in-service party members in the community</b>
    { $members } members registered, { $active } took part this month.
party-unit-report-line = { $name }: { $services } services, { $hours } hours, { $wishes } wishes, { $requests } requests resolved, { $points } points, { $pledges } pledges kept
party-unit-report-idle = Did nothing this month: { $names }
party-unit-report-workbook = Details (one row per member)

## Daily feedback and monthly summary
party-daily-late-departments = <b>{ $date }: departments late to report in</b>
party-daily-late-department = { $department }: { $label }
party-monthly-departments = <b>{ $month }: whistles and report-ins</b>
party-monthly-department = { $department }: { $whistles } whistles, { $on_time } reported in on time, { $done } done

## Command menus (the menu names each command by its own id)
cmd-party = Register as a party member
cmd-pledge = Make a party member's pledge
cmd-pledges = My pledges and how I keep them
cmd-whistle = Whistle for a department (admins)
cmd-partyfirst = Offer a wish to party members first

## Workbench page
party-web-nav = Party
party-web-admins-only = The party page is for the community's admins.
party-web-members = Party members
party-web-name = Name
party-web-kind = As
party-web-kind-in-service = in-service member
party-web-kind-community = community member
party-web-unit = Partner unit
party-web-micro-grid = Micro-grid
party-web-status = Status
party-web-status-pending = waiting
party-web-status-confirmed = confirmed
party-web-status-declined = declined
party-web-status-left = left
party-web-since = Since
party-web-none = None yet
party-web-whistles = Whistles and report-ins
party-web-request = Request
party-web-department = Department
party-web-whistled = Whistled
party-web-reported = Reported in
party-web-done = Done
party-web-late = late
party-web-overdue = not reported in, overdue

## Cards
party-card-resolver = {" "}· by { $name }

## Admins
party-admins-pointer = A party member registration is waiting to be confirmed. Admins: send /party to me in private to see and confirm it.
party-pending-cards = { $count } party member registrations are waiting; their cards follow here.
