"""A form refused by the CSRF check (cookies off, a stale page) explains itself in Chinese,
on the portal and inside alike, instead of Django's English page."""

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/report/new/", "/accounts/login/"])
def test_refused_form_page_is_in_chinese(url):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, {"x": "1"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Forbidden" not in page and "CSRF verification failed" not in page
    assert "表单未能提交" in page and "Cookie" in page
