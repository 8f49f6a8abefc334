"""The COROS stand-in itself, driven with plain requests: login, envelope, programs, calendar,
faults and stale reads, as liftfit's COROS client will meet them."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import bcrypt
import pytest
import requests

from tests.coros_standin import MAX_BODY, REGION_IDS, CorosStandin, md5hex

EMAIL = "lifter@example.com"
PASSWORD = "s3cret pässword"


def program(name: str = "Push day", **extra: Any) -> dict[str, Any]:
    """A strength program as liftfit's exporter shapes one (two rows)."""
    rows = [
        {"id": 1, "name": "T1004", "sets": 3, "targetType": 3, "targetValue": 15},
        {"id": 2, "name": "T1061", "sets": 2, "targetType": 2, "targetValue": 40},
    ]
    for row in rows:
        row.update(exerciseType=2, sportType=4, restType=1, restValue=30)
    return {
        "name": name,
        "overview": "liftfit test",
        "sportType": 4,
        "subType": 65535,
        "pbVersion": 2,
        "distance": "0",
        "exercises": rows,
        **extra,
    }


@pytest.fixture
def coros() -> Iterator[CorosStandin]:
    with CorosStandin() as server:
        server.add_account(EMAIL, PASSWORD)
        yield server


class Client:
    """Just enough of a client: log in, then call with the token headers."""

    def __init__(self, coros: CorosStandin, region: str = "eu") -> None:
        self.base = coros.url(region)
        self.token = ""
        self.user_id = ""

    def login(self, email: str = EMAIL, password: str = PASSWORD) -> dict[str, Any]:
        answer = self.post(
            "/account/login", {"account": email, "accountType": 2, "pwd": md5hex(password)}
        )
        if "accessToken" in (answer.get("data") or {}):
            self.token = answer["data"]["accessToken"]
            self.user_id = answer["data"]["userId"]
        return answer

    def headers(self) -> dict[str, str]:
        return {"accessToken": self.token, "yfheader": json.dumps({"userId": self.user_id})}

    def post(self, path: str, body: Any, **kwargs: Any) -> dict[str, Any]:
        response = requests.post(
            self.base + path, json=body, headers=self.headers(), timeout=5, **kwargs
        )
        assert response.status_code == 200
        return dict(response.json())

    def get(self, path: str, **params: str) -> dict[str, Any]:
        response = requests.get(self.base + path, params=params, headers=self.headers(), timeout=5)
        assert response.status_code == 200
        return dict(response.json())

    def add(self, body: dict[str, Any]) -> str:
        answer = self.post("/training/program/add", body)
        assert answer["result"] == "0000", answer
        return str(answer["data"])


@pytest.fixture
def client(coros: CorosStandin) -> Client:
    client = Client(coros)
    assert client.login()["result"] == "0000"
    return client


# --- login and the envelope ------------------------------------------------------------


def test_the_older_login_form_answers_a_token_in_the_envelope(coros: CorosStandin) -> None:
    answer = Client(coros).login()
    assert answer["result"] == "0000" and answer["message"] == "OK"
    assert answer["data"]["userId"] == "1001"
    assert answer["data"]["regionId"] == REGION_IDS["eu"]
    assert len(answer["data"]["accessToken"]) >= 16
    assert coros.requests[0].path == "/account/login"
    assert coros.requests[0].region == "eu"
    assert coros.requests[0].result == "0000"


def test_the_current_login_form_is_checked_with_bcrypt(coros: CorosStandin) -> None:
    salt = bcrypt.gensalt(rounds=10)
    p1 = bcrypt.hashpw(md5hex(PASSWORD).encode(), salt).decode()
    body = {"account": EMAIL, "accountType": 2, "p1": p1, "p2": salt.decode()}
    assert Client(coros).post("/account/login", body)["result"] == "0000"
    wrong = bcrypt.hashpw(md5hex("other").encode(), salt).decode()
    refused = Client(coros).post("/account/login", {**body, "p1": wrong})
    assert refused["result"] == "1030"
    assert "data" not in refused


def test_an_account_refusing_bcrypt_takes_only_the_older_form(coros: CorosStandin) -> None:
    coros.add_account("old@example.com", "pw", accepts_bcrypt=False, user_id="7")
    salt = bcrypt.gensalt(rounds=4)
    p1 = bcrypt.hashpw(md5hex("pw").encode(), salt).decode()
    client = Client(coros)
    body = {"account": "old@example.com", "accountType": 2, "p1": p1, "p2": salt.decode()}
    assert client.post("/account/login", body)["result"] == "1030"
    assert client.login("old@example.com", "pw")["data"]["userId"] == "7"


@pytest.mark.parametrize(
    "body",
    [
        {"account": EMAIL, "accountType": 2, "pwd": md5hex("wrong")},
        {"account": EMAIL, "accountType": 2, "pwd": md5hex(PASSWORD).upper()},
        {"account": "nobody@example.com", "accountType": 2, "pwd": md5hex(PASSWORD)},
        {"account": EMAIL, "accountType": 1, "pwd": md5hex(PASSWORD)},
    ],
)
def test_wrong_credentials_answer_1030(coros: CorosStandin, body: dict[str, Any]) -> None:
    assert Client(coros).post("/account/login", body)["result"] == "1030"


def test_login_works_on_every_region_but_the_token_only_on_its_own(coros: CorosStandin) -> None:
    us = Client(coros, "us")
    assert us.login()["result"] == "0000"
    assert us.get("/account/query")["result"] == "1019"
    eu = Client(coros, "eu")
    eu.token, eu.user_id = us.token, us.user_id
    answer = eu.get("/account/query")
    assert answer["result"] == "0000"
    assert answer["data"] == {
        "userId": "1001",
        "nickname": "lifter",
        "email": EMAIL,
        "unit": 0,
        "region": "eu",
        "regionId": REGION_IDS["eu"],
    }


def test_two_factor_login_needs_the_emailed_code(coros: CorosStandin) -> None:
    coros.add_account("2fa@example.com", "pw", two_factor=True, user_id="22")
    client = Client(coros)
    first = client.login("2fa@example.com", "pw")
    assert first["result"] == "0000"
    assert set(first["data"]) == {"loginTicket", "appKey", "accountType2fa"}
    ticket = {"loginTicket": first["data"]["loginTicket"], "appKey": first["data"]["appKey"]}
    captcha = {"account": "2fa@example.com", "codeType": 20, "lengthType": 2, "accountType": 2}
    assert client.post("/account/captcha", captcha)["result"] == "0000"
    assert len(coros.code) == 6 and coros.code.isdigit()
    wrong = f"{(int(coros.code) + 1) % 1_000_000:06d}"
    assert client.post("/account/2fa/login/verify", {**ticket, "code": wrong})["result"] == "1030"
    done = client.post("/account/2fa/login/verify", {**ticket, "code": coros.code})
    assert done["result"] == "0000" and done["data"]["userId"] == "22"
    client.token, client.user_id = done["data"]["accessToken"], "22"
    assert client.get("/account/query")["data"]["userId"] == "22"
    again = client.post("/account/2fa/login/verify", {**ticket, "code": coros.code})
    assert again["result"] == "1030"


def test_one_session_per_account(coros: CorosStandin, client: Client) -> None:
    first = client.token
    assert client.get("/account/query")["result"] == "0000"
    assert client.login()["result"] == "0000"
    assert client.token != first
    stale = Client(coros)
    stale.token, stale.user_id = first, client.user_id
    assert stale.get("/account/query") == {"result": "1019", "message": "Access token is invalid"}
    coros.login_elsewhere(EMAIL)
    assert client.get("/account/query")["result"] == "1019"


def test_requests_need_both_token_headers(coros: CorosStandin, client: Client) -> None:
    url = coros.url("eu") + "/account/query"
    only_token = requests.get(url, headers={"accessToken": client.token}, timeout=5).json()
    assert only_token["result"] == "1019"
    wrong_user = {"accessToken": client.token, "yfheader": json.dumps({"userId": "9"})}
    assert requests.get(url, headers=wrong_user, timeout=5).json()["result"] == "1019"
    assert requests.get(url, headers=client.headers(), timeout=5).json()["result"] == "0000"
    assert coros.requests[-1].headers["yfheader"] == json.dumps({"userId": "1001"})


def test_malformed_bodies_and_unknown_paths(coros: CorosStandin, client: Client) -> None:
    url = coros.url("eu") + "/training/program/add"
    headers = {**client.headers(), "Content-Type": "application/json"}
    answer = requests.post(url, data=b"{not json", headers=headers, timeout=5).json()
    assert answer["result"] == "5001"
    assert client.post("/training/program/add", {"name": ""})["result"] == "5001"
    assert coros.programs == {}
    missing = requests.get(coros.root + "/eu/training/nothing", timeout=5)
    assert missing.status_code == 404 and coros.requests[-1].result == "404"
    assert requests.get(coros.root + "/xx/account/query", timeout=5).status_code == 404


def test_bodies_must_be_json_with_a_length(coros: CorosStandin, client: Client) -> None:
    url = coros.url("eu") + "/training/program/add"
    text = json.dumps(program())
    as_form = requests.post(url, data=text, headers=client.headers(), timeout=5).json()
    assert as_form == {"result": "5001", "message": "Content-Type must be application/json"}
    chunks = (part.encode() for part in (text[:10], text[10:]))
    headers = {**client.headers(), "Content-Type": "application/json"}
    chunked = requests.post(url, data=chunks, headers=headers, timeout=5)
    assert chunked.status_code == 411 and coros.requests[-1].result == "411"
    assert coros.programs == {}


def test_bodies_over_the_cap_are_refused_unread(coros: CorosStandin, client: Client) -> None:
    big = {"name": "x" * MAX_BODY}
    response = requests.post(
        coros.url("eu") + "/training/program/add", json=big, headers=client.headers(), timeout=5
    )
    assert response.status_code == 413
    assert coros.requests[-1].result == "413" and coros.requests[-1].body is None
    assert coros.programs == {}


# --- programs -------------------------------------------------------------------------


def test_calculate_sums_sets_and_time(client: Client) -> None:
    answer = client.post("/training/program/calculate", program())
    # 3 x (15 reps x 3 s + 30 s rest) + 2 x (40 s + 30 s rest)
    assert answer["data"] == {
        "duration": 3 * 75 + 2 * 70,
        "totalSets": 5,
        "trainingLoad": 6,
        "exerciseNum": 2,
    }


def test_add_stores_a_copy_with_a_string_id(coros: CorosStandin, client: Client) -> None:
    body = program()
    program_id = client.add(body)
    assert program_id.isdigit()
    stored = coros.programs[program_id]
    assert stored["id"] == program_id and stored["userId"] == "1001"
    assert stored["createTimestamp"] == stored["updateTimestamp"] > 0
    assert stored["exercises"] == body["exercises"]
    body["exercises"].clear()
    assert len(coros.programs[program_id]["exercises"]) == 2
    assert [r.path for r in coros.writes()] == ["/training/program/add"]
    assert coros.writes()[0].body["name"] == "Push day"


def test_the_reference_program_is_accepted_and_read_back(
    coros: CorosStandin, client: Client, reference: Any
) -> None:
    body = json.loads((reference / "coros" / "strength-program-add-request.json").read_text())
    assert client.post("/training/program/calculate", body)["data"]["totalSets"] == 9
    program_id = client.add(body)
    detail = client.get("/training/program/detail", id=program_id)["data"]
    assert detail["exercises"] == body["exercises"]
    assert (detail["id"], detail["userId"], detail["authorId"]) == (program_id, "1001", "1001")
    assert detail["createTimestamp"] > body["createTimestamp"] == 0
    kept = {k for k in body if k not in ("id", "userId", "authorId", "createTimestamp")}
    assert {k: detail[k] for k in kept} == {k: body[k] for k in kept}


def test_query_pages_newest_first_with_filters(coros: CorosStandin, client: Client) -> None:
    ids = [client.add(program(f"Day {n}")) for n in range(5)]
    run = client.add(program("Easy run", sportType=1))
    body = {"name": "", "supportRestExercise": 1, "startNo": 0, "limitSize": 2, "sportType": 0}
    pages = [
        client.post("/training/program/query", {**body, "startNo": n})["data"] for n in (0, 2, 4, 6)
    ]
    assert [[p["id"] for p in page] for page in pages] == [
        [run, ids[4]],
        [ids[3], ids[2]],
        [ids[1], ids[0]],
        [],
    ]
    assert pages[0][1]["exercises"] == program()["exercises"]
    strength = client.post("/training/program/query", {**body, "limitSize": 10, "sportType": 4})
    assert [p["id"] for p in strength["data"]] == ids[::-1]
    named = client.post("/training/program/query", {**body, "name": "day 3"})
    assert [p["name"] for p in named["data"]] == ["Day 3"]
    assert coros.writes() == [r for r in coros.requests if r.path == "/training/program/add"]


def test_programs_of_another_account_are_not_seen(coros: CorosStandin, client: Client) -> None:
    mine = client.add(program())
    coros.add_account("other@example.com", "pw", user_id="2002")
    other = Client(coros)
    other.login("other@example.com", "pw")
    assert other.post("/training/program/query", {"startNo": 0, "limitSize": 10})["data"] == []
    assert other.get("/training/program/detail", id=mine)["result"] == "5001"
    assert other.post("/training/program/delete", [mine])["result"] == "5001"
    assert mine in coros.programs


def test_detail_update_and_delete(coros: CorosStandin, client: Client) -> None:
    program_id = client.add(program())
    detail = client.get("/training/program/detail", id=program_id, supportRestExercise="1")
    assert detail["data"] == coros.programs[program_id]
    created = detail["data"]["createTimestamp"]
    changed = {**detail["data"], "name": "Push day v2", "createTimestamp": 1}
    assert client.post("/training/program/update", changed) == {
        "result": "0000",
        "message": "OK",
        "data": None,
    }
    stored = coros.programs[program_id]
    assert stored["name"] == "Push day v2"
    assert stored["createTimestamp"] == created < stored["updateTimestamp"]
    unknown = {**changed, "id": "999"}
    assert client.post("/training/program/update", unknown)["result"] == "5001"
    assert client.get("/training/program/detail", id="999")["result"] == "5001"
    other = client.add(program("Other"))
    assert client.post("/training/program/delete", [program_id, "999"])["result"] == "5001"
    assert set(coros.programs) == {program_id, other}
    assert client.post("/training/program/delete", [program_id])["result"] == "0000"
    assert set(coros.programs) == {other}
    assert client.get("/training/program/detail", id=program_id)["result"] == "5001"


def test_an_edit_in_the_app_shows_in_reads(coros: CorosStandin, client: Client) -> None:
    program_id = client.add(program())
    before = coros.programs[program_id]["updateTimestamp"]
    coros.edit_program(program_id, name="Renamed in the app")
    detail = client.get("/training/program/detail", id=program_id)["data"]
    assert detail["name"] == "Renamed in the app" and detail["updateTimestamp"] > before
    assert coros.writes()[-1].path == "/training/program/add"


# --- calendar -------------------------------------------------------------------------


def schedule(client: Client, start: str = "20260701", end: str = "20260731") -> dict[str, Any]:
    answer = client.get("/training/schedule/query", startDate=start, endDate=end)
    assert answer["result"] == "0000", answer
    return dict(answer["data"])


def add_entry(client: Client, day: str, number: int, name: str = "Push day") -> dict[str, Any]:
    body = {
        "entities": [{"happenDay": day, "idInPlan": number, "sortNoInSchedule": 1}],
        "programs": [{**program(name), "idInPlan": number}],
        "versionObjects": [{"id": number, "status": 1}],
        "pbVersion": 2,
    }
    return client.post("/training/schedule/update", body)


def test_an_empty_calendar(coros: CorosStandin, client: Client) -> None:
    data = schedule(client)
    assert data["maxIdInPlan"] == "0" and data["entities"] == [] and data["programs"] == []
    assert data["id"].isdigit()


def test_adding_to_the_calendar_as_the_web_app_does(coros: CorosStandin, client: Client) -> None:
    assert add_entry(client, "20260707", 1)["result"] == "0000"
    assert add_entry(client, "20260709", 2, "Pull day")["result"] == "0000"
    data = schedule(client)
    plan = data["id"]
    assert data["maxIdInPlan"] == "2"
    assert [
        {k: e[k] for k in ("idInPlan", "planId", "planProgramId", "happenDay")}
        for e in data["entities"]
    ] == [
        {"idInPlan": "1", "planId": plan, "planProgramId": "1", "happenDay": 20260707},
        {"idInPlan": "2", "planId": plan, "planProgramId": "2", "happenDay": 20260709},
    ]
    assert [(p["idInPlan"], p["name"]) for p in data["programs"]] == [
        ("1", "Push day"),
        ("2", "Pull day"),
    ]
    assert data["programs"][0]["exercises"] == program()["exercises"]
    assert [e["happenDay"] for e in coros.schedule_entries()] == ["20260707", "20260709"]
    assert coros.schedule_entries()[0]["idInPlan"] == 1
    assert coros.programs == {}  # a calendar entry embeds its program: no library copy
    only_9th = schedule(client, "20260708", "20260709")
    assert [e["idInPlan"] for e in only_9th["entities"]] == ["2"]
    assert only_9th["maxIdInPlan"] == "2"
    the_reference_day = schedule(client, "20260707", "20260707")
    assert [p["name"] for p in the_reference_day["programs"]] == ["Push day"]


def test_the_reference_schedule_update_is_accepted(
    coros: CorosStandin, client: Client, reference: Any
) -> None:
    body = json.loads((reference / "coros" / "schedule-update-request.json").read_text())
    assert client.post("/training/schedule/update", body)["result"] == "0000"
    [entry] = coros.schedule_entries()
    assert (entry["happenDay"], entry["idInPlan"]) == ("20260707", 101)
    assert entry["program"]["name"] == "7km Easy Run"


def test_a_used_id_in_plan_is_refused_as_a_racing_add_is(
    coros: CorosStandin, client: Client
) -> None:
    assert add_entry(client, "20260707", 1)["result"] == "0000"
    number = coros.add_user_entry("20260708", program("Yoga"))
    assert number == 2
    refused = add_entry(client, "20260710", 2)
    assert refused["result"] == "5001" and "already used" in refused["message"]
    assert add_entry(client, "20260710", 1)["result"] == "5001"
    assert [e["program"]["name"] for e in coros.schedule_entries()] == ["Push day", "Yoga"]
    assert add_entry(client, "20260710", 3)["result"] == "0000"


def test_two_adds_racing_for_one_id_in_plan_store_one(coros: CorosStandin, client: Client) -> None:
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda day: add_entry(client, day, 1), ["20260706"] * 4))
    assert sorted(a["result"] for a in answers) == ["0000", "5001", "5001", "5001"]
    assert len(coros.schedule_entries()) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"entities": []},
        {"programs": []},
        {"programs": [{"idInPlan": 1, "name": "no exercises", "sportType": 4}]},
        {"entities": [{"happenDay": "20260231", "idInPlan": 1}]},
        {"versionObjects": [{"id": 1, "status": 9}]},
        {"versionObjects": "1"},
        {"versionObjects": []},
    ],
)
def test_malformed_calendar_writes_change_nothing(
    coros: CorosStandin, client: Client, change: dict[str, Any]
) -> None:
    body = {
        "entities": [{"happenDay": "20260707", "idInPlan": 1, "sortNoInSchedule": 1}],
        "programs": [{**program(), "idInPlan": 1}],
        "versionObjects": [{"id": 1, "status": 1}],
        "pbVersion": 2,
        **change,
    }
    assert client.post("/training/schedule/update", body)["result"] == "5001"
    assert coros.schedule_entries() == []


def test_deleting_and_editing_calendar_entries(coros: CorosStandin, client: Client) -> None:
    add_entry(client, "20260707", 1)
    add_entry(client, "20260708", 2, "Pull day")
    data = schedule(client)
    plan = data["id"]
    wrong_plan = {"id": 1, "planProgramId": "1", "planId": "1", "status": 3}
    assert (
        client.post("/training/schedule/update", {"versionObjects": [wrong_plan]})["result"]
        == "5001"
    )
    delete = {"versionObjects": [{"id": 1, "planProgramId": "1", "planId": plan, "status": 3}]}
    assert client.post("/training/schedule/update", {**delete, "pbVersion": 2})["result"] == "0000"
    assert [e["idInPlan"] for e in coros.schedule_entries()] == [2]
    assert client.post("/training/schedule/update", delete)["result"] == "5001"
    entity = {**data["entities"][1], "happenDay": "20260712"}
    edited = {**data["programs"][1], "name": "Pull day, heavier"}
    edit = {
        "entities": [entity],
        "programs": [edited],
        "versionObjects": [{"id": 2, "planProgramId": "2", "planId": plan, "status": 2}],
        "pbVersion": 2,
    }
    assert client.post("/training/schedule/update", edit)["result"] == "0000"
    [entry] = coros.schedule_entries()
    assert (entry["happenDay"], entry["program"]["name"]) == ("20260712", "Pull day, heavier")
    assert schedule(client)["maxIdInPlan"] == "2"
    assert len(coros.writes()) == 6


def test_a_calendar_query_needs_a_real_range(client: Client) -> None:
    for start, end in (("20260732", "20260801"), ("20260801", "20260701"), ("2026-07-01", "")):
        answer = client.get("/training/schedule/query", startDate=start, endDate=end)
        assert answer["result"] == "5001"


# --- faults ---------------------------------------------------------------------------

ADD = "/training/program/add"


def raw_add(coros: CorosStandin, client: Client, timeout: float = 5) -> requests.Response:
    return requests.post(
        coros.url("eu") + ADD, json=program(), headers=client.headers(), timeout=timeout
    )


def test_the_server_listens_on_loopback_only(coros: CorosStandin) -> None:
    assert coros.root.startswith("http://127.0.0.1:")
    assert coros.url("ap") == coros.root + "/ap"
    with pytest.raises(ValueError):
        coros.url("mars")


@pytest.mark.parametrize(("when", "stored"), [("before", 0), ("after", 1)])
def test_5xx_before_or_after_storing(
    coros: CorosStandin, client: Client, when: str, stored: int
) -> None:
    coros.fault(ADD, "5xx", when=when)
    response = raw_add(coros, client)
    assert response.status_code == 500
    assert len(coros.programs) == stored
    assert (coros.requests[-1].result, coros.requests[-1].fault) == ("5xx", "5xx")
    assert raw_add(coros, client).json()["result"] == "0000"
    assert len(coros.programs) == stored + 1


@pytest.mark.parametrize(("when", "stored"), [("before", 0), ("after", 1)])
def test_reset_before_or_after_storing(
    coros: CorosStandin, client: Client, when: str, stored: int
) -> None:
    coros.fault(ADD, "reset", when=when)
    with pytest.raises(requests.ConnectionError):
        raw_add(coros, client)
    assert len(coros.programs) == stored
    assert coros.requests[-1].result == "reset"
    assert raw_add(coros, client).json()["result"] == "0000"


def test_a_fault_hits_only_its_path_and_only_times_requests(
    coros: CorosStandin, client: Client
) -> None:
    coros.fault(ADD, "5xx", times=2)
    assert client.get("/account/query")["result"] == "0000"
    assert [raw_add(coros, client).status_code for _ in range(3)] == [500, 500, 200]
    assert len(coros.programs) == 1
    assert [r.fault for r in coros.writes()] == ["5xx", "5xx", None]


def test_slow_answers_after_the_delay_and_stores(coros: CorosStandin, client: Client) -> None:
    coros.fault(ADD, "slow", delay=0.3)
    with pytest.raises(requests.Timeout):
        raw_add(coros, client, timeout=0.1)
    assert len(coros.programs) == 1
    coros.fault(ADD, "slow", delay=0.2)
    answer = raw_add(coros, client)
    assert answer.elapsed.total_seconds() >= 0.2 and answer.json()["result"] == "0000"
    assert coros.requests[-1].fault == "slow" and coros.requests[-1].result == "0000"


def test_trickle_defeats_a_per_read_timeout(coros: CorosStandin, client: Client) -> None:
    coros.fault("/account/query", "trickle", delay=0.003)
    url = coros.url("eu") + "/account/query"
    started = time.monotonic()
    answer = requests.get(url, headers=client.headers(), timeout=0.1)
    taken = time.monotonic() - started
    assert answer.json()["result"] == "0000"
    assert taken >= 0.003 * len(answer.content) > 0.3


@pytest.mark.parametrize(("when", "stored"), [("before", 0), ("after", 1)])
def test_null_data(coros: CorosStandin, client: Client, when: str, stored: int) -> None:
    coros.fault(ADD, "null", when=when)
    assert client.post(ADD, program()) == {"result": "0000", "message": "OK", "data": None}
    assert len(coros.programs) == stored
    assert (coros.requests[-1].result, coros.requests[-1].fault) == ("0000", "null")


@pytest.mark.parametrize(("when", "stored"), [("before", 0), ("after", 1)])
def test_token_fault_answers_1019_once(
    coros: CorosStandin, client: Client, when: str, stored: int
) -> None:
    coros.fault(ADD, "token", when=when)
    assert client.post(ADD, program()) == {"result": "1019", "message": "Access token is invalid"}
    assert len(coros.programs) == stored
    assert client.post(ADD, program())["result"] == "0000"


def test_a_body_that_never_arrives_is_dropped(client: Client) -> None:
    server = CorosStandin()
    server.read_timeout = 0.2
    with server, socket.create_connection(("127.0.0.1", int(server.root.rsplit(":", 1)[1]))) as raw:
        raw.sendall(b"POST /eu/account/login HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{")
        raw.settimeout(2)
        assert raw.recv(100) == b""
        assert server.requests[0].result == "timeout"


# --- eventual consistency -------------------------------------------------------------


def test_stale_reads_after_program_writes(coros: CorosStandin, client: Client) -> None:
    coros.stale_reads = 2
    program_id = client.add(program())
    query = {"startNo": 0, "limitSize": 10}
    assert client.get("/training/program/detail", id=program_id)["result"] == "5001"
    assert client.post("/training/program/query", query)["data"] == []
    assert client.get("/training/program/detail", id=program_id)["data"]["name"] == "Push day"
    client.post("/training/program/update", {**coros.programs[program_id], "name": "New"})
    names = [
        client.get("/training/program/detail", id=program_id)["data"]["name"] for _ in range(3)
    ]
    assert names == ["Push day", "Push day", "New"]
    client.post("/training/program/delete", [program_id])
    seen = [len(client.post("/training/program/query", query)["data"]) for _ in range(3)]
    assert seen == [1, 1, 0]


def test_stale_calendar_reads_lead_a_naive_add_into_a_clash(
    coros: CorosStandin, client: Client
) -> None:
    coros.stale_reads = 1
    assert add_entry(client, "20260707", 1)["result"] == "0000"
    stale = schedule(client)
    assert stale["entities"] == [] and stale["maxIdInPlan"] == "0"
    assert add_entry(client, "20260708", int(stale["maxIdInPlan"]) + 1)["result"] == "5001"
    fresh = schedule(client)
    assert fresh["maxIdInPlan"] == "1" and len(fresh["entities"]) == 1
