"""Helpers shared by the tests."""


def read_response(response):
    """The body of any response; a download (streamed) is read to its end, which closes its file the way the
    test client expects (closing it by hand would end the test's database connection on PostgreSQL)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
