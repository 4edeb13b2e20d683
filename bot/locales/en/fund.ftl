# The community fund (共建实践金 / 社区微基金), its board and its statement.

fund-register-first = Please register your address first (send /start), then look at the community fund.
fund-staff-only = Only the community's staff can record donations or ask for payments.
fund-usage = Send /fund to see this month's fund; send /fund NUMBER to see one donation receipt, e.g. /fund 3.
fund-footer = Every fen is public: receipts can be looked up by number (/fund NUMBER), and the month's accounts go to the residents' groups.
fund-anonymous = a kind neighbour

## Amounts and names
fund-amount-bad = Please write the amount in yuan, above zero with at most two decimals, e.g. 500 or 12.50.
fund-amount-too-large = That amount is too large: at most { $most } yuan at a time. Please check it and try again.
fund-donor-bad = Please name the donor (a unit, a person, or "anonymous"), at most 100 characters.
fund-payee-bad = Please name the payee, at most 100 characters.
fund-goods-bad = Please list the goods after "goods:", at most 500 characters.
fund-one-project = One entry can name one project (#number) only.
fund-project-unknown = There is no project { $number }; see the project list with /projects.
fund-project-closed = Project { $number } was cancelled; no more donations can be earmarked for it.
fund-directed-needs-project = A directed donation names its project, e.g. #1.
fund-use-needs-project = A payment for a project names it, e.g. #1.
fund-project-use-only = Only a payment whose use is "project" can name a project.

## Types and uses
fund-type-directed = directed gift
fund-type-caring = caring gift
fund-type-public = public-good gift
fund-type-leading = leading gift
fund-type-mutual = mutual-aid gift
fund-use-emergency = emergency relief
fund-use-disaster = disaster relief
fund-use-hardship = hardship relief
fund-use-elderly = care for the elderly
fund-use-orphans = care for orphans
fund-use-public_good = public-good support
fund-use-award = awards
fund-use-project = project
fund-type-unknown = The donation type is one of: { $types }.
fund-use-unknown = The use is one of: { $uses }.
fund-project-ref = (project { $number }: { $title })

## Donations and receipts
fund-donation-usage = Record a donation: /donation AMOUNT TYPE DONOR, e.g. /donation 500 爱心捐 区税务局.
    Directed to a project: /donation 2000 定向捐 Mr Wang #1
    Goods: /donation 300 爱心捐 好邻居超市 goods: 10 bags of rice (300 is their value)
    Write "anonymous" as the donor to leave no name.
fund-receipt = <b>Thank you · receipt no. { $number }</b>
    Thank you, { $donor }, for your { $type } to the community fund: { $kind ->
        [goods] goods: { $items } (estimated at { $amount } yuan)
       *[money] { $amount } yuan
    }.
    Date: { $date }
fund-earmarked = Earmarked for project { $number }: { $title }
fund-name-published = The donor's name may be shown in the public accounts.
fund-name-hidden = The public accounts show "a kind neighbour" instead of the donor's name.
fund-btn-publish = Show my name
fund-btn-hide = Don't show my name
fund-not-your-gift = Only the donor's contacts or the community's staff can change how the gift is shown.
fund-anonymous-stays = This gift is anonymous: there is no name to show.
fund-receipt-unknown = There is no receipt no. { $number }; please check the number.
fund-public-receipt = <b>Donation receipt no. { $number }</b>
    Donor: { $donor }
    Type: { $type }
    Gift: { $kind ->
        [goods] goods: { $items } (estimated at { $amount } yuan)
       *[money] { $amount } yuan
    }
    Date: { $date }
fund-donor-private = The donor did not agree to be named, so the community cannot say who it was.

## Disbursements and the board
fund-disburse-usage = Ask for a payment: /disburse AMOUNT USE PAYEE, e.g. /disburse 800 救急 a family in building 3.
    For a project: /disburse 1500 项目 the builders #1
    You can send the receipt's photo with this line as its caption.
fund-no-board = The community has no supervisory board yet (fund: board in the structure file), so no payment can be asked for.
fund-not-enough = Not enough money free to spend: this payment can come only from { $free } yuan. Please change the amount.
fund-disbursement-card = <b>Payment no. { $number }</b>
    Amount: { $amount } yuan
    Use: { $use }
    Payee: { $payee }
fund-approvals = Board approvals: { $count }/{ $needed } ({ $names })
fund-status-pending = Status: waiting for the board
fund-status-paid = Status: ✅ paid
fund-status-withdrawn = Status: withdrawn
fund-btn-approve = ✅ Approve
fund-btn-withdraw = Withdraw
fund-board-only = Only members of the community's supervisory board can approve payments.
fund-own-request = You asked for this payment, so other board members approve it.
fund-approved-already = You have approved this payment already.
fund-already-paid = Payment no. { $number } is paid already; nothing more to approve.
fund-withdrawn = Payment no. { $number } was withdrawn.
fund-approved-done = Approved; waiting for the other board members.
fund-paid-done = Approved by enough members: the payment is paid and booked.
fund-withdrawn-done = The payment request is withdrawn.
fund-paid-notice = Payment no. { $number } ({ $amount } yuan to { $payee }) was approved by the board and is booked as paid.

## The statement (/fund and monthly)
fund-statement-title = <b>{ $community } community fund · { $month }</b>
    Balance now: { $balance } yuan
fund-statement-donations = This month: { $count } donations, { $total } yuan in money:
fund-statement-type = · { $type }: { $amount } yuan
fund-statement-donor = · no. { $number } { $donor }: { $kind ->
        [goods] goods: { $items } (estimated at { $amount } yuan)
       *[money] { $amount } yuan
    }
fund-statement-more = · and { $count } more gifts; look any receipt up with /fund NUMBER
fund-statement-uses = This month: { $count } payments, { $total } yuan:
fund-statement-use = · { $use }: { $amount } yuan
fund-statement-project = · project { $number } "{ $title }": { $amount } yuan
fund-monthly-title = [Monthly accounts]

## Needs (治理需求清单)
fund-need-usage = Add a need: /need TITLE | SCOPE (a micro-grid, a grid, or "community") | PEOPLE HELPED, e.g. /need Lunches for the elderly | 嘉木花园 | 60
fund-need-ask-title = Adding a need: send its title (at most 100 characters). Send /cancel to stop.
fund-need-ask-scope = Where is "{ $title }" needed?
fund-need-ask-people = About how many people would it help? Send a whole number.
fund-need-added = Added to the needs list as need no. { $number }. Turn needs into a project with /project.
fund-scope-unknown = There is no micro-grid or grid called "{ $name }"; write "community" for the whole community.
fund-people-bad = Please give the number of people as a whole number from 0 to 1000000.
fund-title-bad = The title cannot be empty; at most { $limit } characters.
fund-plan-bad = The plan cannot be empty; at most { $limit } characters.
fund-scope-community = the whole community
fund-need-card = <b>Need no. { $number }</b>: { $title }
    Scope: { $scope }
    Source: { $source }
fund-source-staff = added by staff
fund-source-recurring = the same kind of request keeps coming back
fund-source-wish = a micro-wish nobody claimed in time
fund-source-proposal = a passed deliberation proposal
fund-need-proposed = Proposed by the bot: decide whether it goes on the needs list.
fund-need-open = On the needs list
fund-need-dismissed = Not on the needs list
fund-need-in_project = Made into a project
fund-btn-need-accept = Put it on the list
fund-btn-need-dismiss = Dismiss
fund-need-decided = Need no. { $number } has been decided already.
fund-needs-none = The needs list is empty. Add one with /need.
fund-needs-title = <b>Needs list</b>
fund-needs-line = { $number }. { $title } ({ $status }, { $people } people)
fund-need-unknown = There is no need no. { $number }; see /needs.
fund-need-not-open = Need no. { $number } is not on the list a project can be made from (undecided, dismissed, or in a project).

## Projects (服务项目清单)
fund-project-usage = Start a project: /project NEED NUMBERS | TITLE | BUDGET (yuan) | PEOPLE HELPED | PLAN, optionally | PROPOSAL
    e.g. /project 1,2 | Stairway lights | 3000 | 120 | Replace 40 lights | P-0001
fund-project-number-bad = Please give a project number, e.g. 3.
fund-project-card = <b>Project no. { $number }</b>: { $title }
    Scope: { $scope }
    Budget: { $budget } yuan · { $people } people helped
    Plan: { $plan }
fund-project-proposal = Carries out proposal { $label }: { $title }
fund-take-up-claim = Claimed by: { $by }
fund-take-up-purchase = Bought from: { $by }
fund-take-up-undertake = Undertaken by: { $by }
fund-project-open = Status: started, waiting to be claimed, bought or undertaken
fund-project-taken = Status: taken up, not yet under way
fund-project-underway = Status: under way
fund-project-accepted = Status: accepted
fund-project-done = Status: done, its outcome published
fund-project-cancelled = Status: cancelled
fund-stage-created = · started { $date } { $actor }
fund-stage-claimed = · claimed { $date } { $actor }
fund-stage-purchased = · bought { $date } { $actor }
fund-stage-undertaken = · undertaken { $date } { $actor }
fund-stage-underway = · under way { $date } { $actor }
fund-stage-accepted = · accepted { $date } { $actor }
fund-stage-outcome = · outcome { $date } { $actor }
fund-project-rated = Residents' ratings: { $count }, { $average } stars on average
fund-project-outcome = Outcome: { $helped } people helped. { $outcome }
fund-outcome-hint = Send /outcome { $number } PEOPLE HELPED | OUTCOME to record the outcome (a photo may come with it).
fund-btn-units = Offer to the units
fund-btn-undertake = The community does it
fund-btn-partners = Buy from a partner
fund-btn-claim = 🙋 Claim
fund-btn-start = Start
fund-btn-accept = Accept
fund-offered-to-units = The project's card went to { $count } unit contacts.
fund-no-unit-contacts = The community's units have no contacts yet, so nobody can claim it.
fund-pick-partner = Which partner is project no. { $number } bought from?
fund-project-had-taker = Project no. { $number } is taken up already.
fund-project-stale = Project no. { $number } is past that step; see its card for where it stands.
fund-unit-contacts-only = Only a unit's contacts can claim a project.
fund-project-doers-only = Only the community's staff or the claiming unit's contacts can start it.
fund-proposal-not-passed = Proposal { $label } has not passed, so no project can carry it out yet.
fund-step-claim-done = Claimed: project no. { $number } is your unit's.
fund-step-undertake-done = Project no. { $number } is undertaken by the community.
fund-step-purchase-done = Project no. { $number } will be bought from the partner.
fund-step-start-done = Project no. { $number } is under way.
fund-step-accept-done = Project no. { $number } is accepted; residents of its scope are asked to rate it.
fund-rate-residents-only = Only registered residents of the project's scope can rate it.
fund-rated-already = You have rated this project already.
fund-rated-done = Thank you for rating it!
fund-outcome-usage = Record the outcome: /outcome PROJECT PEOPLE HELPED | OUTCOME, e.g. /outcome 1 120 | all 40 lights replaced
fund-outcome-bad = The outcome cannot be empty; at most { $limit } characters.
fund-outcome-done = The outcome of project no. { $number } is recorded.
fund-projects-none = There are no projects yet.
fund-projects-title = <b>Projects</b>
fund-projects-line = { $number }. { $title } ({ $status })

## Resources (共治资源清单) and agreements
fund-offer-usage = Offer a resource: /offer KIND | WHAT | QUANTITY | UNTIL (optional); the kind is 场地 (space), 人力 (people-hours), 物资 (goods) or 资金 (money).
    Staff recording for a unit name it first: /offer 区税务局 | 场地 | meeting room | twice a week
fund-offer-kind-bad = The kind is 场地 (space), 人力 (people-hours), 物资 (goods) or 资金 (money).
fund-offerer-unknown = There is no unit or partner called "{ $name }".
fund-offer-contacts-only = Only a unit's contacts or the community's staff can record resources.
fund-offer-done = On the resources list: { $description } ({ $quantity }). Thank you!
fund-date-bad = Please write dates like 2026-12-31.
fund-agreement-usage = Record an agreement: /agreement UNIT | SIGNED | ENDS, e.g. /agreement 区税务局 | 2026-01-01 | 2027-01-01
fund-agreement-dates = The end date must come after the signing date.
fund-agreement-done = { $unit }'s agreement is recorded, ending { $ends }; staff are reminded 30 days before.
fund-agreement-reminder = ⏰ { $unit }'s agreement ends on { $ends }: time to renew it.
fund-unit-projects = Projects claimed: { $projects }
fund-unit-resources = Resources offered this month: { $resources }

## Help and menus
fund-help = Community fund: /fund shows the fund's balance and this month's gifts and payments (every fen is public); /fund NUMBER shows one donation receipt; /projects lists the projects. A unit's contact can offer resources with /offer and claim projects in private.
fund-help-admin = Resources and the fund: /donation records a gift and sends the thank-you receipt, /disburse asks for a payment (paid once the board approves); /need adds a need, /needs lists them, /project starts a project, /outcome records its outcome; /offer records a unit's resource, /agreement a unit's agreement.
cmd-fund = The community fund
cmd-projects = Projects
cmd-donation = Record a donation
cmd-disburse = Ask for a fund payment
cmd-needs = Needs list
cmd-project = Start a project

## The workbench page
fund-web-nav = Fund
fund-web-balance = Balance { $balance } yuan, of which { $free } yuan is free to spend (the rest is earmarked for projects).
fund-web-ledger = { $year } ledger
fund-web-opening = Opening balance { $amount } yuan
fund-web-closing = Balance now { $amount } yuan
fund-web-date = Time
fund-web-number = No.
fund-web-what = Type or use
fund-web-who = Donor or payee
fund-web-amount = Amount (yuan)
fund-web-running = Balance (yuan)
fund-web-approvers = Board approvals
fund-web-pending = Payments waiting for the board
fund-web-budget = Budget (yuan)
fund-web-earmarked = Earmarked (yuan)
fund-web-status = Status
fund-web-none = None

## The guided /donation and /disburse
fund-donation-ask-amount = Record a gift: send the amount in yuan, e.g. 500; for goods press “Goods”. Send /cancel to give up.
fund-btn-goods = Goods
fund-donation-ask-items = Send what was given, e.g. “10 bags of rice” (at most 500 characters).
fund-donation-ask-value = What are these goods worth, in yuan? E.g. 300.
fund-donation-ask-type = Choose the kind of gift:
fund-donation-ask-donor = Who gave it? Pick a unit, a partner or “Anonymous”; for a person, send a name, room or phone number to find them among registered residents.
fund-btn-anonymous = Anonymous
fund-donor-found = These registered residents match; pick one, or the last button to record the name as typed.
fund-donor-none-found = No registered resident matches “{ $words }”. Record it as typed, or send another name, room or phone number.
fund-btn-as-typed = As typed: { $name }
fund-donation-ask-project = Which project is the gift for?
fund-btn-no-project = No project
fund-no-project = none
fund-no-live-projects = There is no project a gift can be directed to now; choose another kind.
fund-donation-confirm = <b>Please check this gift</b>
    What: { $kind ->
        [goods] goods: { $items } (worth { $amount } yuan)
       *[money] { $amount } yuan
    }
    Kind: { $type }
    Donor: { $donor }
    For project: { $project }
fund-disburse-ask-amount = Ask for a payment: send the amount in yuan, e.g. 800. Send /cancel to give up.
fund-disburse-ask-use = Choose what it is for:
fund-disburse-ask-project = For which project?
fund-disburse-ask-payee = Who is paid? Send the name (at most 100 characters).
fund-disburse-ask-photo = Send a photo of the receipt, or press “Skip”.
fund-btn-skip = Skip
fund-disburse-confirm = <b>Please check this payment request</b>
    Amount: { $amount } yuan
    Use: { $use }
    Project: { $project }
    Payee: { $payee }
    Receipt photo: { $photo ->
        [yes] yes
       *[no] none
    }
fund-btn-confirm = ✅ Confirm
fund-btn-edit = Change
fund-btn-flow-cancel = Cancel
fund-flow-cancelled = Cancelled; nothing was recorded.
fund-step-use-buttons = Please choose with the buttons at this step.
fund-flow-donation-done = Recorded: receipt no. { $number }.
fund-flow-disbursement-done = Sent: payment request no. { $number }, waiting for the board.
fund-consent-by-donor = The donor decides on their own receipt whether their name may be published.

## Cancelling a project and its earmarked money
fund-btn-cancel = Cancel project
fund-cancel-ask-reason = Cancel project no. { $number } “{ $title }”: send the reason (at most 200 characters). Send /cancel to give up.
fund-cancel-reason-bad = The reason cannot be empty and has at most { $limit } characters.
fund-cancel-confirm = Cancel project no. { $number } “{ $title }”?
    Reason: { $reason }
    Money earmarked for it is not moved: it stays with this project until staff re-designate it to general use.
fund-btn-cancel-yes = Yes, cancel it
fund-btn-keep = Keep it
fund-cancel-kept = All right, the project stays.
fund-step-cancel-done = Project no. { $number } is cancelled.
fund-project-cancel-reason = Cancelled because: { $reason }
fund-stage-cancelled = · cancelled { $date } { $actor }
fund-project-cancelled-already = Project no. { $number } is cancelled already.
fund-project-cancel-too-late = Project no. { $number } has been accepted and can no longer be cancelled.
fund-project-earmarked-left = { $amount } yuan is still earmarked for this project.
fund-btn-release = Re-designate to general use
fund-release-confirm = Move the { $amount } yuan earmarked for project no. { $number } to general use (free to spend)? The ledger records the move and who made it.
fund-btn-release-yes = Yes, re-designate it
fund-release-done = { $amount } yuan moved to general use; the ledger records it.
fund-redesignate-not-cancelled = Only money earmarked for a cancelled project can be re-designated.
fund-redesignate-nothing = Nothing is earmarked for project no. { $number } any more.
fund-web-redesignation = re-designated to general use (project { $number })
fund-web-release-done = The money earmarked for project no. { $number } is now for general use; the ledger records it.
