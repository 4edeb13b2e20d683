## Care ledgers: households, visits, the one-key call

cmd-care = Care ledgers (staff)
cmd-visits = Visit plan (staff)
cmd-audit = Ledger access log (admins)
cmd-sos = Emergency call
care-help = Care ledgers (seen only by the staff of the area):
    /care — see and add households; change colour, add notes, tags, phone, enable the emergency call
    /visits — households by when a visit is due; one tap to log a visit
    /audit — who looked at the ledgers (community admins)

care-colour-red = 🔴 red
care-colour-yellow = 🟡 yellow
care-colour-blue = 🔵 blue
care-colour-orange = 🟠 orange
care-not-found = No such household, or you may not see it. Ledgers are open only to the area's leaders, grid workers and community admins.
care-staff-only = Care ledgers are open to community staff only.
care-stale = This button is out of date; send /care to open the ledger again.
care-no-key = No data encryption key is set up, so notes and phone numbers cannot be saved yet. Ask an administrator to set GRIDBOT_DATA_KEY.
care-bad-colour = The colour must be red, yellow, blue or orange.
care-bad-room = Please keep the room number within { $max } characters, e.g. 302, and send it again.
care-bad-reason = Please give the reason in one sentence of at most { $max } characters, not starting with "=".
care-bad-people = Please keep the names within { $max } characters, not starting with "=".
care-bad-note = Please write the note as text of at most { NUMBER($max, useGrouping: 0) } characters, not starting with "=".
care-bad-tags = Separate tags with commas: at most { $max }, each at most { $length } characters.
care-bad-phone = A phone number may hold only digits, + and -; please send it again.
care-list-title = Care ledger ({ $count } households):
care-list-empty = There are no households on the ledgers of your area yet.
care-btn-add = ➕ Add a household
care-btn-colour = 🎨 Colour
care-btn-note = 📝 Note
care-btn-tags = 🏷 Tags
care-btn-phone = 📞 Phone
care-btn-sos = 🆘 Enable emergency call
care-btn-visit = 🚶 Log a visit
care-card = { $colour } <b>{ $address }</b> ({ $micro_grid })
    People: { $people }
    Phone: { $phone }
    Tags: { $tags }
    Reason: { $reason }
    Last visit: { $visited }
care-card-notes = Notes:
care-card-note = · { $date } { $text }
care-card-history = Colour history:
care-card-change = · { $date } { $colour } { $reason }
care-none = -
care-phone-hidden = (no encryption key set up; cannot be shown)
care-add-building = New household: pick the building.
care-add-room = Send the room number (e.g. 302):
care-add-colour = Pick the ledger colour:
care-add-reason = In one sentence, why is the household on this ledger?
care-add-people = Send the names of the people (commas between them), or - for none:
care-add-phone = Send a contact phone number, or - for none:
care-added = ✅ Saved to the ledger.
care-pick-colour = Pick the new colour:
care-ask-reason = Why does it change to { $colour }?
care-ask-note = Send the note (stored encrypted, with today's date):
care-ask-tags = Send the tags separated by commas, e.g.: lives alone, disabled, low income
care-ask-phone = Send the new contact phone number:
care-ask-sos = Send the numeric Telegram ID of the person to enable the emergency call for (the member or a registered relative; they must have pressed Start in a private chat first):
care-saved = ✅ Saved.
care-sos-unknown-person = No such person. Ask them to press Start in a private chat with the bot first, then send their numeric ID.
care-sos-enabled = ✅ Emergency call enabled for { $name }.
care-sos-welcome = Your community has enabled the emergency call for you. In an emergency press the 🆘 button below (or send /sos) and your micro-grid's leaders are told at once.
care-sos-button = 🆘 Emergency call
care-bad-number = Please send a numeric ID, e.g. 123456789.

care-visits-title = Visit plan (soonest due first):
care-visits-line = { $overdue }{ $colour } { $address } — { $due }
care-visits-overdue = ⚠️
care-visits-empty = There are no households to visit in your area.
care-visit-pick = Visit to { $address }: how was it?
care-outcome-well = 😊 All well
care-outcome-needs_help = 🆘 Needs help
care-outcome-not_home = 🚪 Not at home
care-visit-ask-note = Send one line about the visit (a photo with a caption works too):
care-visit-saved = ✅ Visit logged; next visit due { $due }.

care-audit-title = Ledger access log (last { $count }):
care-audit-line = { $at } { $actor } { $action } { $household } { $detail }
care-audit-empty = Nothing has been accessed yet.
care-audit-admins-only = Only community admins may see the ledger access log.

care-sos-not-enabled = The emergency call is not enabled for you. Ask your micro-grid's leader or grid worker to enable it.
care-sos-sent = 🆘 Call sent: your micro-grid's leaders and on-duty volunteers are being told. Keep your phone at hand.
care-sos-already = Your call is being handled; the people who can help have been told. Please wait.
care-sos-coming = 🚶 { $name } is on the way to help you.
care-call-alert = 🆘 <b>Emergency call</b>
    Address: { $address }
    People: { $people }
    Phone: { $phone }
    Called at: { $at }
care-call-alert-group = 🆘 <b>Emergency call</b>: { $micro_grid } { $building }, called at { $at }. Details went privately to the people alerted.
care-call-caller = 🆘 Your call ({ $at })
care-call-waiting = Status: waiting for someone to take it
care-call-accepted = Status: { $name } is on the way ({ $at })
care-call-arrived = Status: { $name } has arrived ({ $at })
care-call-cancelled = Status: cancelled (false alarm)
care-call-closed = Status: dealt with
care-call-escalated-1 = Nobody took it within 3 minutes: the grid workers were told.
care-call-escalated-2 = Still nobody: the community admins were told.
care-btn-accept = I'll go
care-btn-arrived = Arrived
care-btn-close = Dealt with
care-btn-cancel = Cancel the call (false alarm)
care-call-taken = { $name } is already handling this call, thank you!
care-call-stale = This button is out of date, or this call is not yours to handle.
care-call-over = This call is over.
care-call-accepted-you = Thank you! The caller has been told.
care-call-done = Recorded.

care-daily-overdue = Care visits: { $grid } has { $count } households overdue for a visit.
care-daily-overdue-private = { $count } households in your area are overdue for a visit:
    { $addresses }
care-monthly-title = Care visit coverage (visited this month / on the ledger):
care-monthly-line = { $grid } { $colour }: { $visited } / { $total }
care-monthly-calls = Emergency calls: { $calls }, taken { $accepted }, median minutes to take one { $median }.

care-web-nav = Care ledgers
care-web-who = Only the households of your area are listed; every look is written to the access log.
care-web-colour = Colour
care-web-address = Address
care-web-people = People
care-web-phone = Phone
care-web-tags = Tags
care-web-reason = Reason
care-web-visited = Last visit
care-web-notes = Notes
care-web-history = Colour history
