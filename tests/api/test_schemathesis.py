"""schemathesis against the live API: requests generated from the OpenAPI schema (with a
token that may do everything, and without one) find no server error."""

import pytest
from hypothesis import HealthCheck, given, settings

from portal.api.models import ApiToken, Scope
from tests.sharing.factories import content_item


@pytest.mark.counterpart
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_generated_requests_find_no_server_error(live_daphne, programme_admin):
    import schemathesis

    content_item(title="Our wind farm", tags=["energy"])
    _, token = ApiToken.issue(
        owner=programme_admin, name="tester", scopes=[scope.value for scope in Scope]
    )
    schema = schemathesis.openapi.from_url(f"{live_daphne}/api/v1/openapi.json")
    errors: list[str] = []
    statuses: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    for operation in operations:
        _generated(operation, token, live_daphne, errors, statuses)()
    assert errors == []
    assert len(statuses) > 200  # it did send requests: each operation's examples, twice
    assert any(status < 300 for status in statuses), sorted(set(statuses))  # and some got through


def _generated(operation, token, base, errors, statuses):
    @given(case=operation.as_strategy())
    @settings(
        max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case):
        for headers in ({"Authorization": f"Bearer {token}"}, {}):
            response = case.call(base_url=base, headers=headers)
            statuses.append(response.status_code)
            if response.status_code >= 500:
                errors.append(f"{operation.label}: {response.status_code} {case.as_curl_command()}")

    return check
