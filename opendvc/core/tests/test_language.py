import pytest

pytestmark = pytest.mark.django_db


def test_the_portal_speaks_vietnamese_whatever_the_browser_asks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in response.content.decode()


def test_the_language_switch_turns_the_portal_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert page["Content-Language"] == "en"
    assert '<html lang="en">' in page.content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert client.get("/")["Content-Language"] == "vi"


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/")["Content-Language"] == "vi"
