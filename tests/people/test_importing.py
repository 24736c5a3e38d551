import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.people.importing import PeopleImportError, import_people
from portal.people.models import Department, Profile, Team, User
from tests.people.factories import UserFactory

HEADER = "email,first_name,last_name,department,team,manager_email,location,job_role\n"
VALID = HEADER + (
    "head@example.com,Hana,Head,Sales,,,London,Head of Sales\n"
    "lead@example.com,Leo,Lead,Sales,Field,head@example.com,Berlin,Team lead\n"
    "ana@example.com,Ana,Advocate,Sales,Field,lead@example.com,Lisbon,Account executive\n"
    "bo@example.com,Bo,Builder,Engineering,Platform,head@example.com,Remote,Engineer\n"
)


def problems_of(data: str | bytes) -> list[str]:
    raw = data.encode() if isinstance(data, str) else data
    with pytest.raises(PeopleImportError) as caught:
        import_people(data=raw)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.django_db
class TestValidImport:
    def test_creates_people_teams_and_reporting_lines(self):
        report = import_people(data=VALID.encode())

        assert report.summary() == "created 4, updated 0, unchanged 0"
        ana = User.objects.get(email="ana@example.com")
        assert ana.profile.team.name == "Field"
        assert ana.profile.team.department.name == "Sales"
        assert ana.profile.manager.email == "lead@example.com"
        assert ana.profile.location == "Lisbon"
        assert not ana.has_usable_password()
        assert set(Department.objects.values_list("name", flat=True)) == {"Sales", "Engineering"}
        field = Team.objects.get(name="Field")
        # Whoever manages a member of a team manages the team.
        assert set(field.managers.values_list("email", flat=True)) == {
            "lead@example.com",
            "head@example.com",
        }
        assert Group.objects.get(name="Manager").user_set.filter(email="lead@example.com").exists()
        assert Group.objects.get(name="Advocate").user_set.count() == 4

    def test_importing_the_same_file_again_changes_nothing(self):
        import_people(data=VALID.encode())
        report = import_people(data=VALID.encode())
        assert report.summary() == "created 0, updated 0, unchanged 4"

    def test_changed_rows_are_updated(self):
        import_people(data=VALID.encode())
        changed = VALID.replace("Lisbon", "Porto").replace("Bo,Builder", "Bo,Baker")
        report = import_people(data=changed.encode())
        assert report.summary() == "created 0, updated 2, unchanged 2"
        assert Profile.objects.get(user__email="ana@example.com").location == "Porto"

    def test_headers_any_case_with_bom_and_semicolons(self):
        data = (
            "\ufeffEmail;First Name;LAST_NAME;Department\nMixed.Case@Example.com;Mia;Case;Support\n"
        ).encode()
        report = import_people(data=data)
        assert report.created == 1
        assert User.objects.get().email == "mixed.case@example.com"

    def test_manager_already_in_the_portal(self):
        UserFactory(email="boss@example.com")
        data = HEADER + "new@example.com,New,Person,Sales,Field,BOSS@example.com,,\n"
        import_people(data=data.encode())
        assert (
            Profile.objects.get(user__email="new@example.com").manager.email == "boss@example.com"
        )

    def test_unknown_columns_are_reported_not_fatal(self):
        report = import_people(data=b"email,first_name,last_name,shoe_size\na@example.com,A,B,42\n")
        assert report.ignored_columns == ["shoe_size"]

    def test_dry_run_writes_nothing_but_counts(self):
        report = import_people(data=VALID.encode(), dry_run=True)
        assert report.summary() == "created 4, updated 0, unchanged 0"
        assert not User.objects.exists()
        assert not Department.objects.exists()

    def test_invite_emails_new_people_after_commit(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            report = import_people(data=VALID.encode(), invite=True)
        assert report.invited == 4
        assert sorted(message.to[0] for message in mail.outbox) == sorted(
            ["head@example.com", "lead@example.com", "ana@example.com", "bo@example.com"]
        )
        assert "/accounts/invitation/" in mail.outbox[0].body


@pytest.mark.django_db
class TestInvalidFiles:
    def test_every_problem_is_listed_with_its_line_and_nothing_is_written(self):
        data = HEADER + (
            "ok@example.com,Ok,Person,Sales,,,,\n"
            "not-an-email,Bad,Email,Sales,,,,\n"
            "OK@example.com,Dup,Licate,Sales,,,,\n"
            "x@example.com,,Noname,Sales,,,,\n"
            "y@example.com,Y,Z,,Lonely team,,,\n"
        )
        problems = problems_of(data)
        assert problems == [
            "line 3: 'not-an-email' is not a valid email address.",
            "line 4: ok@example.com appears twice (first on line 2).",
            "line 5: The first_name is empty.",
            "line 6: The team 'Lonely team' needs a department.",
        ]
        assert not User.objects.exists()
        assert not Department.objects.exists()

    def test_unknown_manager(self):
        data = HEADER + "a@example.com,A,B,Sales,,ghost@example.com,,\n"
        assert problems_of(data) == [
            "line 2: The manager ghost@example.com is neither in the file nor in the portal."
        ]

    def test_row_problems_and_unknown_managers_are_listed_together(self):
        data = HEADER + "bad,A,B,Sales,,,,\nok@example.com,O,K,Sales,,ghost@example.com,,\n"
        assert problems_of(data) == [
            "line 2: 'bad' is not a valid email address.",
            "line 3: The manager ghost@example.com is neither in the file nor in the portal.",
        ]

    def test_manager_cycle(self):
        data = HEADER + (
            "a@example.com,A,A,Sales,,b@example.com,,\n"
            "b@example.com,B,B,Sales,,c@example.com,,\n"
            "c@example.com,C,C,Sales,,a@example.com,,\n"
            "d@example.com,D,D,Sales,,a@example.com,,\n"
        )
        problems = problems_of(data)
        assert len(problems) == 1
        assert problems[0].startswith(
            "line 2: Managers form a cycle: a@example.com -> b@example.com"
        )
        assert "(lines 2, 3, 4)" in problems[0]
        assert not User.objects.exists()

    def test_cycle_through_people_already_in_the_portal(self):
        import_people(
            data=(
                HEADER + "boss@example.com,B,B,S,,,,\nme@example.com,M,M,S,,boss@example.com,,\n"
            ).encode()
        )
        # Now the file makes the boss report to someone who reports to "me".
        data = (
            HEADER
            + "boss@example.com,B,B,S,,x@example.com,,\nx@example.com,X,X,S,,me@example.com,,\n"
        )
        assert "Managers form a cycle" in problems_of(data)[0]

    def test_own_manager(self):
        data = HEADER + "a@example.com,A,B,Sales,,a@example.com,,\n"
        assert "own manager" in problems_of(data)[0]

    def test_missing_required_column(self):
        assert problems_of("email,first_name,department\na@example.com,A,Sales\n") == [
            "line 1: Missing required column(s): last_name."
        ]

    def test_duplicate_column(self):
        assert "appears twice" in problems_of("email,Email,first_name,last_name\n")[0]

    def test_wrong_number_of_fields(self):
        data = HEADER + "a@example.com,A,B\n"
        assert problems_of(data) == ["line 2: Expected 8 fields, found 3."]

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "The file is empty."),
            (b"   \n\n", "The file is empty."),
            (b"email,first_name,last_name\n", "The file has a header but no people."),
            ("email,first_name,last_name\nä@x.com,Ä,Ö\n".encode("latin-1"), "not UTF-8"),
            (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8"),
            (b"PK\x03\x04\x00\x00binary", "not a CSV text file"),
        ],
    )
    def test_unreadable_files(self, data, message):
        assert message in problems_of(data)[0]

    def test_overlong_fields(self):
        data = HEADER + f"a@example.com,{'A' * 151},B,Sales,,,,\n"
        assert "longer than 150" in problems_of(data)[0]


@pytest.mark.django_db
class TestImportCommand:
    def test_prints_the_counts(self, tmp_path, capsys):
        path = tmp_path / "people.csv"
        path.write_text(VALID)
        call_command("import_people", str(path))
        call_command("import_people", str(path))
        out = capsys.readouterr().out.strip().splitlines()
        assert out == ["created 4, updated 0, unchanged 0", "created 0, updated 0, unchanged 4"]

    def test_dry_run_and_invite(self, tmp_path, capsys, django_capture_on_commit_callbacks):
        path = tmp_path / "people.csv"
        path.write_text(VALID)
        call_command("import_people", str(path), "--dry-run", "--invite")
        assert "Dry run, nothing written: created 4" in capsys.readouterr().out
        assert not User.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_people", str(path), "--invite")
        assert "invited 4" in capsys.readouterr().out
        assert len(mail.outbox) == 4

    def test_invalid_file_fails_listing_every_problem(self, tmp_path, capsys):
        path = tmp_path / "people.csv"
        path.write_text(HEADER + "bad,A,B,,,,,\nbad,A,B,,,,,\n")
        with pytest.raises(CommandError, match="Nothing was imported: 3 problem"):
            call_command("import_people", str(path))
        err = capsys.readouterr().err
        assert "line 2: 'bad' is not a valid email address." in err
        assert "line 3: bad appears twice (first on line 2)." in err

    def test_missing_file(self):
        with pytest.raises(CommandError, match="No such file"):
            call_command("import_people", "/nonexistent/people.csv")


@pytest.mark.django_db
class TestAdminImportScreen:
    url = "/admin/people/import/"

    def upload(self, client, content: bytes, **fields):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(
            self.url, {"file": SimpleUploadedFile("people.csv", content, "text/csv"), **fields}
        )

    def test_only_people_with_the_permission_may_import(self, client, onboarded_user):
        client.force_login(onboarded_user)
        assert client.get(self.url).status_code in (302, 403)

    def test_programme_admin_imports(self, client, programme_admin):
        client.force_login(programme_admin)
        page = client.get(self.url)
        assert page.status_code == 200
        response = self.upload(client, VALID.encode(), dry_run="on")
        assert "Dry run, nothing written: created 4, updated 0, unchanged 0" in response.text
        assert not User.objects.filter(email="ana@example.com").exists()
        response = self.upload(client, VALID.encode())
        assert "created 4, updated 0, unchanged 0" in response.text
        assert User.objects.filter(email="ana@example.com").exists()

    def test_errors_are_listed_and_nothing_written(self, client, programme_admin):
        client.force_login(programme_admin)
        response = self.upload(client, (HEADER + "nope,A,B,,,,,\n").encode(), dry_run="")
        assert response.status_code == 200
        assert "Nothing was imported." in response.text
        assert "line 2: &#x27;nope&#x27; is not a valid email address." in response.text
        assert User.objects.count() == 1

    def test_wrong_file_type_is_refused(self, client, programme_admin):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client.force_login(programme_admin)
        response = client.post(
            self.url, {"file": SimpleUploadedFile("people.xlsx", b"PK\x03\x04", "application/zip")}
        )
        assert "Upload a .csv file." in response.text


@pytest.mark.django_db
def test_import_queries_do_not_grow_with_the_number_of_people(django_assert_max_num_queries):
    """1,200 people take a few dozen queries (chunks of 500), not thousands."""

    def people(count: int) -> bytes:
        lines = [HEADER.strip()]
        lines += [
            f"p{n}@example.com,P,{n},Sales,Team {n % 3},{'p0@example.com' if n else ''},,"
            for n in range(count)
        ]
        return ("\n".join(lines) + "\n").encode()

    # (and a few for the funnel's milestones of the people made; on SQLite, whose queries
    # take at most 999 parameters, profiles go in batches of about 40 rows)
    with django_assert_max_num_queries(130):
        assert import_people(data=people(1200)).created == 1200
    with django_assert_max_num_queries(30):
        assert import_people(data=people(1200)).unchanged == 1200


@pytest.mark.django_db
def test_many_team_names_that_slugify_alike_cost_a_few_queries(django_assert_max_num_queries):
    """300 teams whose names make the same slug ("Alpha", "Alpha!", ...) once cost a
    query per number tried per team (quadratic); now each slug base is read once."""
    Team.objects.create(
        department=Department.objects.create(name="Other", slug="other"),
        name="Alpha",
        slug="sales-alpha",
    )
    lines = [HEADER.strip()]
    names = [f"Alpha {'!' * (n % 10)}{'?' * (n // 10)}".strip() for n in range(300)]
    lines += [f"t{n}@example.com,T,{n},Sales,{name},,," for n, name in enumerate(names)]
    data = ("\n".join(lines) + "\n").encode()
    with django_assert_max_num_queries(40):
        assert import_people(data=data).created == 300
    slugs = set(Team.objects.filter(department__name="Sales").values_list("slug", flat=True))
    assert len(slugs) == 300
    assert "sales-alpha" not in slugs  # taken by the other department's team
    assert {"sales-alpha-2", "sales-alpha-301"} <= slugs


def test_finding_cycles_visits_each_person_once():
    """A 10,000-person reporting chain: each person's manager is asked for about once,
    not once per person below them (that walk was quadratic: 20 s for 20,000)."""
    from portal.people.reporting import manager_cycles

    chain = {f"p{n}": f"p{n + 1}" for n in range(10_000)}
    asked = []

    def manager_of(person):
        asked.append(person)
        return chain.get(person)

    assert manager_cycles(list(chain), manager_of) == []
    assert len(asked) <= 10_001
    chain["p9999"] = "p5000"  # the top of the chain now reports into its middle
    cycles = manager_cycles(list(chain), chain.get)
    assert len(cycles) == 1
    assert cycles[0][0] == "p5000"
    assert len(cycles[0]) == 5000


@pytest.mark.django_db
def test_a_long_chain_imports_and_a_cycle_in_it_is_reported_once():
    lines = [HEADER.strip()]
    lines += [
        f"c{n}@example.com,C,{n},,,{f'c{n + 1}@example.com' if n < 1999 else ''},,"
        for n in range(2000)
    ]
    assert import_people(data=("\n".join(lines) + "\n").encode()).created == 2000
    lines[-1] = "c1999@example.com,C,1999,,,c1000@example.com,,"
    problems = problems_of("\n".join(lines) + "\n")
    assert len(problems) == 1
    assert "Managers form a cycle: c1000@example.com -> c1001@example.com" in problems[0]


@pytest.mark.django_db
def test_on_sqlite_an_import_commits_in_parts_managers_first(settings, monkeypatch):
    """Each part holds SQLite's write lock briefly; people listed before their managers
    still get them (managers are written first). PostgreSQL writes in one transaction."""
    from django.db import connection

    from portal.people import importing

    settings.PEOPLE_IMPORT_WRITE_CHUNK = 7
    parts = []
    original = importing._write_people
    monkeypatch.setattr(
        importing,
        "_write_people",
        lambda rows, report: parts.append(len(rows)) or original(rows, report),
    )
    # 40 people, each managed by the next one, listed bottom-up (reports first).
    lines = [HEADER.strip()]
    lines += [
        f"r{n}@example.com,R,{n},Ops,Crew {n % 3},{f'r{n + 1}@example.com' if n < 39 else ''},,"
        for n in range(40)
    ]
    report = import_people(data=("\n".join(lines) + "\n").encode(), invite=True)
    assert (report.created, report.invited) == (40, 40)
    assert parts == ([7] * 5 + [5] if connection.vendor == "sqlite" else [40])
    managers = dict(
        Profile.objects.filter(user__email__startswith="r").values_list(
            "user__email", "manager__email"
        )
    )
    assert all(managers[f"r{n}@example.com"] == f"r{n + 1}@example.com" for n in range(39))
    assert managers["r39@example.com"] is None
    again = import_people(data=("\n".join(lines) + "\n").encode())
    assert again.unchanged == 40
