from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.views import APIView

from gridcenter.api import ScopedRateThrottle


class TokenView(ObtainAuthToken):
    """Exchange a username and password for the phone's API token."""

    # ObtainAuthToken names DRF's parsers; the API's own bound the depth of a JSON body.
    parser_classes = APIView.parser_classes  # the settings' DEFAULT_PARSER_CLASSES
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"
