"""The shared browser fixtures work: a real chromium signs in to the admin."""

from selenium.webdriver.common.by import By

from integrations.roles import FINANCE_REVIEWERS

from .conftest import SCREENSHOTS


def test_finance_user_signs_in_through_the_login_form(
    browser, live_server, staff_user, browser_login, screenshot
):
    # given
    user = staff_user("fiona", role=FINANCE_REVIEWERS)

    # when
    browser_login(user)
    saved = screenshot("after-login")

    # then
    assert browser.current_url == f"{live_server.url}/admin/"
    assert "fiona" in browser.find_element(By.ID, "user-tools").text.lower()
    assert saved.is_file() and saved.is_relative_to(SCREENSHOTS)
    assert saved.read_bytes().startswith(b"\x89PNG")


def test_wrong_password_stays_on_the_login_page(
    browser, live_server, staff_user, browser_login
):
    user = staff_user("mallory", role=FINANCE_REVIEWERS)

    browser.get(f"{live_server.url}/admin/login/?next=/admin/")
    browser.find_element(By.ID, "id_username").send_keys(user.username)
    browser.find_element(By.ID, "id_password").send_keys("not the password")
    browser.find_element(By.CSS_SELECTOR, "form#login-form").submit()

    assert browser.find_elements(By.CSS_SELECTOR, ".errornote")
    assert browser.current_url.startswith(f"{live_server.url}/admin/login/")
    assert not browser.find_elements(By.ID, "user-tools")
