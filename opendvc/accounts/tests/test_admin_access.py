import pytest

pytestmark = pytest.mark.django_db


def test_django_admin_is_open_to_superusers(client, superuser):
    client.force_login(superuser)
    assert client.get("/quan-tri-he-thong/").status_code == 200
    assert client.get("/quan-tri-he-thong/accounts/user/").status_code == 200


@pytest.mark.parametrize("actor", ["citizen", "desk_officer", "leader"])
def test_django_admin_is_closed_to_everyone_else(client, request, actor):
    user = request.getfixturevalue(actor)
    user.is_staff = True  # even a staff flag set by mistake does not open it
    user.save()
    client.force_login(user)
    response = client.get("/quan-tri-he-thong/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    assert client.get("/quan-tri-he-thong/").status_code == 302
