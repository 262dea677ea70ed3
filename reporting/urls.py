from reporting.committee_urls import urlpatterns as committee_patterns
from reporting.report_urls import urlpatterns as report_patterns

app_name = "reporting"

urlpatterns = report_patterns + committee_patterns
