# The staff workbench (工作台) in the browser, and the /web command that opens it.

web-command-link = Press the button below to open the workbench. The link works once, within 10 minutes.
web-command-button = 🖥 Open the workbench
web-command-private-only = Send /web to me in a private chat: the login link is for you alone.
web-not-configured = The workbench is not switched on in this deployment (GRIDBOT_WEB_URL is not set). Please ask your administrator.
web-staff-only = The workbench is for community staff only: community admins, grid workers and micro-grid leaders.
web-sign-in-first = Sign in first: send /web to the bot in a private Telegram chat.
web-csrf-refused = This page has expired; reload it and submit again.
web-member-unknown = No member has the Telegram id { $id }.

web-title = Grid workbench
web-community = Community
web-go = Go
web-logout = Log out everywhere
web-login-title = Sign in to the workbench
web-login-how = In Telegram, send /web to @{ $bot} in a private chat and press the button you get. No password needed.
web-login-link-failed = This login link no longer works (it was used, or is older than 10 minutes). Send /web to the bot again.

web-nav-overview = Overview
web-nav-requests = Requests
web-nav-points = Points
web-nav-reports = Reports

web-total = { $count } in all
web-none = Nothing here
web-previous = Previous
web-next = Next
web-page = Page { $page } of { $pages }
web-yes = yes
web-urgent = urgent
web-overdue = overdue
web-photo = Photo

web-filter-text = Search text or a number such as R-0042
web-filter-any-status = Any status
web-filter-open = Open
web-filter-unclaimed = Unclaimed
web-filter-escalated = Escalated
web-filter-any-category = Any category
web-filter-any-micro-grid = Any micro-grid
web-filter-overdue = Overdue only
web-filter-since = From
web-filter-until = To
web-filter-apply = Filter
web-export-xlsx = Export to Excel

web-col-number = Number
web-col-category = Category
web-col-micro-grid = Micro-grid
web-col-text = Text
web-col-status = Status
web-col-urgent = Urgent
web-col-claimer = Claimed by
web-col-deadline = Due
web-col-created = Submitted
web-col-rating = Rating

web-level = Level
web-level-micro-grid = Micro-grid
web-level-grid = Grid
web-level-community = Community
web-claim-deadline = Claim by
web-resolve-deadline = Resolve by
web-trail = Trail
web-actions = Actions
web-action-reassign = Reassign to
web-action-escalate = Escalate
web-action-reject = Reject
web-action-merge = Merge into
web-merge-into = Merge into (number)
web-reason = Reason (required)
web-reason-optional = Reason for escalating (optional)
web-done-reassign = Reassigned: the new micro-grid's chat has the card.
web-done-escalate = Escalated one level up.
web-done-reject = Rejected: the resident is told the reason.
web-done-merge = Merged.

web-event-submit = Submitted
web-event-route = Routed
web-event-claim = Claimed
web-event-start = Work started
web-event-resolve = Resolved
web-event-hand-back = Handed back
web-event-reject = Rejected
web-event-escalate = Escalated
web-event-reassign = Reassigned
web-event-merge = Merged
web-event-plus-one = Reported again by someone else
web-event-rate = Rated
web-event-reopen = Not satisfied: reopened
web-event-confirm = Resident confirmed it was done
web-event-not-fulfilled = Resident said it was not done

web-overview-new-today = New today
web-overview-unclaimed = Unclaimed
web-overview-overdue = Overdue
web-overview-by-micro-grid = Micro-grids today
web-overview-claimed-today = Claimed today
web-overview-resolved-today = Resolved today
web-overview-checkins-waiting = Check-ins to stamp
web-overview-escalated = Escalated
web-overview-rates = This month's three rates (against last month)
web-overview-rates-note = Counted by the month requests came in, as in the monthly summary.
web-rate-response = Response
web-rate-resolution = Resolution
web-rate-satisfaction = Satisfaction
web-last-month = Last month
web-whole-community = Whole community

web-report-month = Month
web-report-show = Show
web-report-download = Download the month's Excel report
web-report-requests = Requests
web-report-median-claim = Median hours to claim
web-report-median-resolve = Median hours to resolve
web-report-scope = Scope
web-report-top-points = Top by points
web-report-top-hours = Top by service hours
web-report-admin-only = Monthly reports are for community admins.

web-points-balances = Members' points
web-points-search = Name, username or Telegram id
web-points-search-button = Find
web-points-member = Member
web-points-balance = Balance
web-points-ledger = Ledger
web-points-amount = Change
web-points-reason = Reason
web-points-note = Note
web-points-when = When
web-points-rewards = Rewards and this week's stock
web-points-reward = Reward
web-points-merchant = Merchant
web-points-cost = Cost
web-points-stock = Weekly stock
web-points-remaining = Left this week
web-points-held = Orders held
web-points-adjust = Adjust points
web-points-adjust-member = Member's Telegram id
web-points-adjust-amount = Amount (negative takes points)
web-points-adjust-reason = Reason (the member sees it)
web-points-adjust-done = Adjusted: { $name } now has { $balance } points.
web-points-adjust-button = Adjust

# The command menu entry of /web.
cmd-web = Open the workbench (web)
