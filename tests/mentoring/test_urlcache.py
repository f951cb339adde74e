from django.urls import reverse

from mentoring.urlcache import fast_reverse


def test_fast_reverse_gives_what_reverse_gives():
    assert fast_reverse("feedback:pair_detail", 42) == reverse("feedback:pair_detail", args=[42])
    assert fast_reverse("feedback:session_detail", 7, 123) == reverse(
        "feedback:session_detail", args=[7, 123]
    )
    assert fast_reverse("feedback:health_board", "emerging-leaders") == reverse(
        "feedback:health_board", args=["emerging-leaders"]
    )
