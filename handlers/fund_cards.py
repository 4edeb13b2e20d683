"""How the fund looks in chat: a disbursement's card for the board and for staff, a donation's
thank-you receipt, /fund's overview and the monthly statement; and their buttons' data."""

from aiogram.filters.callback_data import CallbackData
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.copies import Draw, Drawing, renders
from bot.i18n import Translator
from models.copies import MessageCopy
from models.members import User
from models.resources.donations import donor_contacts, get_donation, public_donor
from models.resources.fund import approvals_of, get_disbursement, yuan
from models.resources.statement import FundMonth
from models.resources.tables import DisbursementStatus, Donation, Project

# Gifts named one by one in a statement; the rest are counted (a message holds 4096
# characters), and every receipt can still be looked up with /fund NUMBER.
DONORS_LISTED = 40


class FundApprove(CallbackData, prefix="fa"):
    id: int


class FundWithdraw(CallbackData, prefix="fw"):
    id: int


class FundConsent(CallbackData, prefix="fc"):
    """The donor or staff say whether the donor's name may be published."""

    id: int
    publish: bool


def gift_args(donation: Donation) -> dict[str, str]:
    """What was given, as catalog arguments (the catalog escapes each once): money, or goods
    with their estimated value."""
    return {"kind": "goods" if donation.goods is not None else "money",
            "items": donation.goods or "", "amount": yuan(donation.amount)}  # fmt: skip


@renders("fund-disbursement")
async def _disbursement(session: AsyncSession, disbursement_id: int) -> Draw:
    disbursement = await get_disbursement(session, disbursement_id)
    approvals = await approvals_of(session, disbursement.id)
    names = []
    for approval in approvals:
        user = await session.get(User, approval.user_id)
        names.append((user.full_name or str(user.telegram_id)) if user else "-")
    project = (
        await session.get(Project, disbursement.project_id) if disbursement.project_id else None
    )

    def draw(t: Translator, copy: MessageCopy) -> Drawing:
        lines = [
            t("fund-disbursement-card", number=disbursement.number,
              amount=yuan(disbursement.amount), use=t(f"fund-use-{disbursement.use.value}"),
              payee=disbursement.payee),
            t("fund-approvals", count=len(approvals), needed=disbursement.needed,
              names="、".join(names) or "-"),
            t(f"fund-status-{disbursement.status.value}"),
        ]  # fmt: skip
        if project is not None:
            lines.insert(1, t("fund-project-ref", number=project.number, title=project.title))
        if disbursement.status != DisbursementStatus.PENDING:
            return "\n".join(lines), None
        builder = InlineKeyboardBuilder()
        if copy.variant == "board":
            builder.button(text=t("fund-btn-approve"),
                           callback_data=FundApprove(id=disbursement.id))  # fmt: skip
        else:
            builder.button(text=t("fund-btn-withdraw"),
                           callback_data=FundWithdraw(id=disbursement.id))  # fmt: skip
        return "\n".join(lines), builder.as_markup()

    return draw


@renders("fund-receipt")
async def _receipt(session: AsyncSession, donation_id: int) -> Draw:
    donation = await get_donation(session, donation_id)
    project = await session.get(Project, donation.project_id) if donation.project_id else None
    # A donor with a private chat decides on their own receipt; staff keep the record.
    donor_decides = bool(await donor_contacts(session, donation))

    def draw(t: Translator, copy: MessageCopy) -> Drawing:
        lines = [t("fund-receipt", number=donation.number,
                   donor=donation.donor_name or t("fund-anonymous"),
                   type=t(f"fund-type-{donation.type.value}"),
                   date=donation.at.strftime("%Y-%m-%d"), **gift_args(donation))]  # fmt: skip
        if project is not None:
            lines.append(t("fund-earmarked", number=project.number, title=project.title))
        if donation.donor_name is None:
            return "\n".join(lines), None
        lines.append(t("fund-name-published" if donation.publish_name else "fund-name-hidden"))
        if copy.variant == "staff" and donor_decides:
            return "\n".join([*lines, t("fund-consent-by-donor")]), None
        builder = InlineKeyboardBuilder()
        if donation.publish_name:
            builder.button(text=t("fund-btn-hide"),
                           callback_data=FundConsent(id=donation.id, publish=False))  # fmt: skip
        else:
            builder.button(text=t("fund-btn-publish"),
                           callback_data=FundConsent(id=donation.id, publish=True))  # fmt: skip
        return "\n".join(lines), builder.as_markup()

    return draw


def month_text(t: Translator, month: FundMonth, period: str, community: str) -> str:
    """The month in the open: balance, donations by type and donor (named only where they
    agreed), goods, and what was paid, by use and by project."""
    anonymous = t("fund-anonymous")
    lines = [t("fund-statement-title", community=community, month=period,
               balance=yuan(month.balance))]  # fmt: skip
    by_type = month.money_by_type
    lines.append(t("fund-statement-donations", total=yuan(sum(by_type.values())),
                   count=len(month.donations)))  # fmt: skip
    for kind, amount in sorted(by_type.items()):
        lines.append(t("fund-statement-type", type=t(f"fund-type-{kind}"), amount=yuan(amount)))
    for donation in month.donations[:DONORS_LISTED]:
        lines.append(t("fund-statement-donor", number=donation.number,
                       donor=public_donor(donation, anonymous), **gift_args(donation)))  # fmt: skip
    if len(month.donations) > DONORS_LISTED:
        lines.append(t("fund-statement-more", count=len(month.donations) - DONORS_LISTED))
    by_use = month.paid_by_use
    lines.append(t("fund-statement-uses", total=yuan(sum(by_use.values())),
                   count=len(month.paid)))  # fmt: skip
    for use, amount in sorted(by_use.items()):
        lines.append(t("fund-statement-use", use=t(f"fund-use-{use}"), amount=yuan(amount)))
    for project in month.projects.values():
        spent = sum(d.amount for d in month.paid if d.project_id == project.id)
        lines.append(t("fund-statement-project", number=project.number, title=project.title,
                       amount=yuan(spent)))  # fmt: skip
    return "\n".join(lines)
