## /start for people who hold a role, deep links, and flows shown again

role-admin = community administrator
role-grid-worker = grid worker
role-leader = micro-grid leader
role-volunteer = volunteer
role-merchant = partner merchant
role-in-area = { $role } of { $area }
role-everywhere = { $role } of every community
greeting-list-separator = {", "}
greeting-hello = Hello, { $name }! You are { $roles }.
greeting-waiting = Requests waiting to be claimed in your area: { $count }
greeting-claimed = Requests you claimed and have not finished: { $count }
greeting-reviews = Service check-ins waiting for your stamp: { $count }
greeting-see-tasks = Send /tasks to see and handle them.
greeting-can-admin = Administrator: send /bind MICRO-GRID in a group to bind it; /activity announces a volunteer activity; /adjust adjusts points.
greeting-can-merchant = Partner merchant: when a resident shows a voucher code, send /verify CODE to redeem it.
greeting-menu = The command menu next to the input field now lists your commands; send /help for everything.
greeting-register-offer = If you also live in the community, press the button below to register your address (your work does not need it).
greeting-register-here = If you also live in “{ $micro_grid }”, press the button below to register your address.
btn-register-home = 🏠 Register my address
cmd-adjust = Adjust points (admins)

link-not-for-you = This link cannot be opened: what it points to does not exist or is not for you. Send /my to see your own requests.

step-again = You are in the middle of something; let's continue from this step (send /cancel to stop):
step-use-buttons = Please answer this step as it asks, or with the buttons below (send /cancel to stop):
