"""The suggester's entry point: a suggestion per target field, from samples."""

from collections.abc import Iterable
from dataclasses import replace

from ..calibration import abstention_threshold
from ..schemas import FieldSpec
from .fields import (
    _amounts_beside_a_decimal,
    _group_flagged_as_shipping,
    _keyed_field_value,
    _money_number,
    _on_the_records_side,
    _prefix_group_side,
    _readable,
    _record_as_a_line,
    _second_address_group,
    _sold_to_beside_bill_to,
    _text_sum_beside_its_currency,
    _without_citations,
    _without_code_listings,
    _without_group_prefix,
)
from .passes import (
    _amounts_in_a_named_currency,
    _amounts_in_currency_copies,
    _balanced_ledger_lines,
    _bare_address_beside_its_first_line,
    _bare_name_beside_a_last_name,
    _company_beside_a_persons_name,
    _company_number_as_tax_id,
    _country_beside_its_records_key,
    _credit_reason_mapped,
    _currency_of_an_unsourced_amount,
    _dates_in_one_format,
    _document_date_in_a_wide_row,
    _enumerated_reason_mapped,
    _kinds_of_email_beside_the_email,
    _later_numbered_slots,
    _listed_addresses_beside_an_address,
    _means_beside_stripes_group,
    _money_in_not_out,
    _nested_keys_of_other_records,
    _number_for_reference,
    _numeric_country_code_mapped,
    _one_amount_per_source_in_a_wide_row,
    _one_closing_date,
    _one_invoice_reference,
    _one_owner_per_reference,
    _one_owner_per_text,
    _one_ranked_claim_per_source_in_a_wide_row,
    _one_reference_per_record_in_a_wide_row,
    _order_number_as_own_number,
    _orders_date_beside_documents,
    _other_records_reference_groups,
    _party_key_on_an_address_record,
    _phone_in_parts,
    _place_below_state,
    _plainer_line_keeps_it,
    _references_below_a_reference,
    _region_beside_its_code,
    _region_code_beside_region_name,
    _settled_documents_date,
    _slots_with_own_field,
    _street_with_number_beside_street,
    _tax_status_mapped,
    _town_part_beside_town,
)
from .suggestion import Suggestion, _context_of, apply_threshold
from .target import suggest_for_target
from .values import profile_samples


def suggest_mapping(
    *,
    target_fields: Iterable[FieldSpec],
    samples: list[dict],
    feedback: dict[tuple[str, str], int] | None = None,
    threshold: float | None = None,
    entity: str = "",
) -> list[Suggestion]:
    """A suggestion per target field, from sample source objects.

    `entity` names what the samples are when they do not say it themselves
    (canonical sources carry no Stripe "object").

    Below the calibrated abstention threshold (calibration.py; pass 0 to see
    every raw best guess) a target gets no source and says why.
    """
    profiles = profile_samples(samples)
    context = _context_of(samples, profiles, entity)
    named = list(target_fields)
    specs = _record_as_a_line(
        _on_the_records_side(
            _sold_to_beside_bill_to(
                [
                    _readable(
                        _money_number(
                            _without_citations(
                                _without_code_listings(
                                    _without_group_prefix(_keyed_field_value(spec))
                                )
                            )
                        )
                    )
                    for spec in _second_address_group(
                        _prefix_group_side(
                            _text_sum_beside_its_currency(
                                _amounts_beside_a_decimal(
                                    _group_flagged_as_shipping(named)
                                )
                            )
                        )
                    )
                ]
            )
        )
    )
    raw = [suggest_for_target(spec, profiles, feedback, context) for spec in specs]
    raw = _town_part_beside_town(raw, specs)
    # Before one field is chosen per text: a region or county beside the
    # state gives up the state, which the state field then keeps.
    raw = _place_below_state(raw, specs)
    raw = _region_code_beside_region_name(raw, specs)
    raw = _region_beside_its_code(raw, specs)
    raw = _company_beside_a_persons_name(raw, specs)
    raw = _bare_name_beside_a_last_name(raw, specs)
    raw = _kinds_of_email_beside_the_email(raw, specs)
    raw = _one_owner_per_reference(
        _one_owner_per_text(raw, profiles, specs, context), specs
    )
    raw = _street_with_number_beside_street(raw, specs)
    raw = _bare_address_beside_its_first_line(raw, specs)
    raw = _slots_with_own_field(raw)
    raw = _plainer_line_keeps_it(raw)
    raw = _later_numbered_slots(raw, specs)
    raw = _amounts_in_a_named_currency(raw, specs)
    raw = _currency_of_an_unsourced_amount(raw, specs)
    cut = abstention_threshold() if threshold is None else threshold
    raw = _one_invoice_reference(raw, context, cut)
    raw = _references_below_a_reference(raw)
    raw = _phone_in_parts(raw, specs, profiles)
    raw = _balanced_ledger_lines(raw, specs, profiles)
    raw = _money_in_not_out(raw, specs, context)
    raw = _nested_keys_of_other_records(raw, specs, context)
    raw = _means_beside_stripes_group(raw, specs)
    raw = _party_key_on_an_address_record(raw, specs, context)
    raw = _number_for_reference(raw, specs, context)
    raw = _other_records_reference_groups(raw, specs, context)
    raw = _order_number_as_own_number(raw, specs, context)
    raw = _settled_documents_date(raw, specs, context)
    raw = _one_closing_date(raw, specs, context)
    raw = _orders_date_beside_documents(raw, specs, context)
    raw = _document_date_in_a_wide_row(raw, specs)
    raw = _amounts_in_currency_copies(raw, specs)
    raw = _one_amount_per_source_in_a_wide_row(raw, specs)
    raw = _one_ranked_claim_per_source_in_a_wide_row(raw, specs)
    raw = _one_reference_per_record_in_a_wide_row(raw, specs)
    raw = _country_beside_its_records_key(raw, specs)
    raw = _numeric_country_code_mapped(raw, specs)
    raw = _tax_status_mapped(raw)
    raw = _credit_reason_mapped(raw, specs, context)
    raw = _enumerated_reason_mapped(raw, specs)
    raw = _dates_in_one_format(raw, specs)
    raw = _listed_addresses_beside_an_address(raw)
    raw = _company_number_as_tax_id(raw, specs, profiles, cut)
    # Each helper above keeps the targets' order: give back the names as given,
    # in the targets and in the reasons that name another target.
    renamed = {r.name: n.name for r, n in zip(specs, named, strict=True) if r != n}
    out = []
    for item, spec in zip(raw, named, strict=True):
        item = apply_threshold(item, cut)
        reason = item.reason
        for read, name in renamed.items():
            reason = reason.replace(read, name)
        out.append(replace(item, target=spec.name, reason=reason))
    return out
