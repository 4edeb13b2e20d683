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
fund-money = { $amount } yuan
fund-goods = goods: { $items } (estimated at { $amount } yuan)

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
    Thank you, { $donor }, for your { $type } to the community fund: { $what }.
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
    Gift: { $what }
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
fund-statement-donor = · no. { $number } { $donor }: { $what }
fund-statement-uses = This month: { $count } payments, { $total } yuan:
fund-statement-use = · { $use }: { $amount } yuan
fund-statement-project = · project { $number } "{ $title }": { $amount } yuan
fund-monthly-title = [Monthly accounts]
