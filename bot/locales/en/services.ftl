# Partner services: residents order, the community accepts, a partner does it, residents rate

svc-menu-title = 🤝 <b>Community services</b> (from partners)
svc-menu-category = <b>[{ $category }]</b>
svc-menu-line = • { $service } · { $price } · { $partner } · { $completed } done · rating { $average }
svc-no-rating = none yet
svc-menu-hint = Tap a service below to order it.
svc-menu-empty = There are no services for your micro-grid at the moment.
svc-register-first = Please register your address first (send /start); then you can order services.
svc-service-gone = This service is no longer offered or its agreement has ended; send /services to see the current menu.
svc-not-your-area = "{ $service }" does not serve your area; send /services and pick a service offered where you live.
svc-ask-text = You picked "{ $service }". What do you need (at most { $max } characters)?
svc-ask-photo = You may send a photo, or tap "Skip".
svc-ask-when = When would suit you? (e.g. Saturday morning; at most { $max } characters)
svc-confirm = Please check your order:
    Service: { $service }
    What: { $text }
    Photo: { $photo }
    When: { $when }
svc-yes = yes
svc-no = no
svc-when-any = any time
svc-btn-skip = Skip
svc-btn-any-time = ⏱ Any time
svc-btn-send = ✅ Send
svc-btn-cancel = Cancel
svc-btn-no-comment = No comment
svc-cancelled = Cancelled; nothing was sent.
svc-use-buttons = Please answer the last question, or use the buttons under it.
svc-stale = This button has expired; send /services to start again.
svc-text-empty = The text cannot be empty; please describe it in words.
svc-text-too-long = That is too long ({ $length } characters); please send it again in at most { $max }.
svc-receipt = ✅ Your order <b>{ $label }</b> ({ $service }) is received. The community will pass it to the partner and keep you posted.
svc-receipt-waiting = 🕒 Your order <b>{ $label }</b> ({ $service }) is received. This week's places are taken, so it is waiting in the queue; you will be told when it is arranged.

svc-status-waiting = waiting (this week is full)
svc-status-submitted = with the community
svc-status-passed = with the partner, not yet accepted
svc-status-accepted = accepted by the partner
svc-status-scheduled = appointment made
svc-status-done = done, waiting for the resident's rating
svc-status-rated = rated
svc-status-returned = returned
svc-status-converted = turned into a request

svc-why-new = 🆕 New service order
svc-why-declined = ↩️ The partner declined; please arrange again
svc-why-poor = ⚠️ Poor rating; please follow up with the resident
svc-card-head = <b>{ $label }</b> · { $service } · { $partner }
svc-card-place = Area: { $place }
svc-card-text = What: { $text }
svc-card-when = Preferred time: { $when }
svc-card-status = Status: { $status }
svc-card-appointment = Appointment: { $when }
svc-card-note = Done: { $note }
svc-card-rating = Rating: { $stars } { $comment }
svc-card-reason = Reason: { $reason }
svc-card-taken = Accepted by { $name }
svc-card-resident = 🔒 Resident (only you see this; keep it private):
    Name: { $name }
    Address: { $address }
    Phone: { $phone }
svc-phone-none = not given
svc-btn-pass = 📤 Accept (pass to partner)
svc-btn-convert = 🔁 Make it a request
svc-btn-return = ↩️ Return
svc-btn-accept = ✅ Accept
svc-btn-decline = 🙏 Decline
svc-btn-schedule = 📅 Set a time
svc-btn-complete = 🏁 Done

svc-order-gone = That order cannot be found.
svc-order-moved-on = Order { $label } has been handled already; this button no longer applies.
svc-staff-only = Only the community's staff (admins, the grid's workers) can handle orders.
svc-partner-only = This order belongs to another partner; you cannot act on it.
svc-other-contact = Order { $label } was accepted by a colleague; they carry it on.
svc-agreement-over = The agreement with "{ $partner }" has ended, so it takes no new orders; make it a request or return it.
svc-resident-moved = The resident is no longer registered at an address, so it cannot become a request; please return it.
svc-passed = Passed to the partner.
svc-converted = { $label } is now request { $request } and follows the usual request loop.
svc-accepted = Accepted. The resident's details are on the card, for you only.
svc-ask-return = Please reply with the reason for returning { $label } (the resident sees it; at most { $max } characters):
svc-ask-decline = Please reply with the reason for declining { $label } (the community sees it; at most { $max } characters):
svc-ask-schedule = Please reply with the time agreed with the resident (e.g. 6 Dec 10:00; at most { $max } characters):
svc-ask-complete = Please reply with a note on what was done (at most { $max } characters), or a photo with a caption:
svc-reason-empty = Please write the reason in words.
svc-when-empty = Please write the appointment time in words.
svc-note-empty = Please write a short note (give a photo a caption).
svc-done-return = { $label } returned; the resident gets the reason.
svc-done-decline = { $label } declined; the community will arrange it again.
svc-done-schedule = { $label } scheduled; the resident is told the time.
svc-done-complete = { $label } done; waiting for the resident to confirm and rate.

svc-resident-passed = 📤 Your order { $label } ({ $service }) was accepted by the community and passed to the partner.
svc-resident-accepted = ✅ Your order { $label } ({ $service }) was accepted by "{ $partner }"; they will arrange a time with you.
svc-resident-scheduled = 📅 Your order { $label } ({ $service }) is scheduled: { $when }
svc-resident-returned = ↩️ Your order { $label } ({ $service }) was returned by the community: { $reason }
svc-resident-rate = 🏁 The partner finished your order { $label } ({ $service }): { $note }
    If it was done, please rate it (1–5 stars):
svc-ask-comment = You gave { $stars }. Anything to add? Reply with a comment (at most { $max } characters), or tap "No comment".
svc-not-yours = This is not your order; you cannot rate it.
svc-not-ratable = Order { $label } cannot be rated now (not done yet, or rated already).
svc-rating-range = A rating is 1 to 5 stars.
svc-rated = Thank you for rating! Order { $label } is closed.
svc-open-private = Please open a private chat with the bot and press Start first; I will ask you there.

svc-stars = 🌟 <b>{ $community } service stars, { $quarter }</b>
    The best-rated partners of the quarter with at least { $minimum } completed orders:
    { $stars }
    Thank you for serving our residents so well!
svc-star-line = { $rank }. { $partner } · { $completed } done · { $average } stars on average
svc-daily-unaccepted = ⏰ { $count } service orders were not accepted by their partner in time: { $labels }. Please call the partner or arrange them again.
svc-agreement-ending = 📄 The service agreement with "{ $partner }" ends on { $until }; please renew it. After that its services leave the menu.
svc-monthly-title = 🤝 Partner services (made public):
svc-monthly-line = { $partner }: { $orders } orders · { $completed } done · { $in_time } accepted in time · { $average } stars · { $complaints } complaints
svc-yearly-stars = 🌟 Service stars of the year: { $names }

cmd-services = Order a community service
svc-help = 🤝 <b>Community services</b>: /services shows the services for your area (free, low-cost or market price). Order one; the community passes it to a partner, and you rate it when done. Partners' staff get their orders in private.
svc-why-late = ⏰ The partner has not accepted in time; please call them or arrange it again

svc-web-nav = Service orders
svc-web-service = Service
svc-web-partner = Partner
svc-web-appointment = Appointment / preferred
svc-web-rating = Rating
svc-web-results = Partners this month (made public) · { $month }
svc-web-orders = Orders
svc-web-completed = Done
svc-web-in-time = Accepted in time
svc-web-average = Average stars
svc-web-complaints = Complaints

cmd-orders = My service orders
svc-orders-none = You have no service orders yet. Send /services to see the services for your area.
svc-orders-to-do = 🧰 <b>Orders for you to handle ({ $count })</b>
svc-orders-placed = 🧾 <b>Services I ordered</b>
svc-orders-line = • { $label } · { $service } · { $status } · { $when }
