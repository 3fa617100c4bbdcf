"""Suggester rules added on v124's former held-out part (Paymentwall, Karbon).

Each field below is made up after the shape of a miss, named by no vendor,
and stands beside a near field that its rule leaves alone.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    lookup,
    none_while_near,
    sourced,
)


def test_an_entry_of_a_list_the_users_define_is_no_stripe_value(samples):
    # given the first entry of a list of the shops a client buys from, a
    # list the system's users define, and the first of the client's e-mail
    # addresses (the near case: a listed detail Stripe keeps)
    shop = described(
        "profile.Shops.0",
        "string",
        "A user definable list of shops the client buys from (the first item)",
    )
    mail = described(
        "profile.Mails.0",
        "string",
        "The e-mail addresses of the client (the first item)",
    )
    # when suggested on a Stripe customer, then the shop is left empty, an
    # entry of the system's own list, and the e-mail is still the customer's
    assert_no_source(sourced(samples, "customer", shop))
    assert sourced(samples, "customer", mail).source == "email"


def test_a_kind_or_title_of_the_record_a_field_belongs_to_is_no_link(samples):
    # given the kind and the job title of the record a contact card belongs
    # to, and the card's key of that record (the near case: the link to the
    # customer the card is kept under)
    kind = described(
        "cards.0.OwnerKind",
        "string",
        "The type of entity this card belongs to; its values: 'Person', 'Company'",
    )
    title = described(
        "cards.0.JobTitle",
        "string",
        "The job title of the contact this card belongs to",
    )
    owner = described(
        "cards.0.OwnerId", "string", "The id of the contact this card belongs to"
    )
    # when suggested on a Stripe customer, then the kind and the title are
    # left empty (at the calibrated cut: no link, and no Stripe field ranks
    # high), and the key is still the customer's own record through the id map
    assert_no_source(sourced(samples, "customer", kind, threshold=None))
    assert_no_source(sourced(samples, "customer", title, threshold=None))
    assert lookup(sourced(samples, "customer", owner)) == "customer"


def test_a_person_of_the_systems_own_team_is_no_stripe_party(samples):
    # given the e-mail of a comment's author, the team member who looks
    # after a client, and the e-mail the client is reached at (the near case:
    # the party Stripe's object is for)
    author = described(
        "AuthorMail", "string", "The e-mail address of the comment's author"
    )
    handler = described(
        "AccountHandler",
        "string",
        "The team member who looks after this client; a user's key or e-mail.",
    )
    mail = described("Mail", "string", "The e-mail address of the client")
    # when suggested on a Stripe invoice and a Stripe customer, then the
    # author and the team member are left empty, users of the system itself,
    # and the client's e-mail is still the customer's
    assert_no_source(sourced(samples, "invoice", author))
    assert_no_source(sourced(samples, "customer", handler))
    assert sourced(samples, "invoice", mail).source == "customer_email"
    assert sourced(samples, "customer", mail).source == "email"


def test_the_state_a_company_was_incorporated_in_is_no_address(samples):
    # given the state a client's company was incorporated in, and the state
    # of the client's address (the near case: where the client is)
    founded = described(
        "company.IncorporatedState",
        "string",
        "The state in which the client (a company) was incorporated.",
    )
    near = described("company.State", "string", "The state of the client's address.")
    # when suggested on a Stripe customer, then the first is left empty, a
    # trade register's, and the second is still the address's state
    none_while_near(samples, "customer", founded, near, "address.state")


def test_a_detail_of_the_party_that_represents_the_client_is_no_stripe_value(samples):
    # given the name of the law firm that represents a client, and the
    # client's own name (the near case: the party Stripe's customer is)
    office = described(
        "details.LawFirm.Name",
        "string",
        "The name of the law firm that represents the client",
    )
    near = described("details.Name", "string", "The name of the client")
    # when suggested on a Stripe customer, then the firm's name is left
    # empty, another party's, and the client's name is still the customer's
    none_while_near(samples, "customer", office, near, "name")
