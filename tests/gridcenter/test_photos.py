"""The work one photo may cost is bounded before any pixel is decoded (issue 14)."""

from __future__ import annotations

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from gridcenter.photos import PhotoError, process_photo
from tests.city import jpeg


def png(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, "PNG")  # one bit a pixel: small to make, however large
    return buffer.getvalue()


def test_a_400_megapixel_png_is_refused_as_too_many_pixels():
    with translation.override("en"), pytest.raises(PhotoError, match=r"too many pixels \(at most 50 million\)"):
        process_photo(png((20_000, 20_000)))


def test_a_7000_px_square_png_is_refused_before_decoding():
    data = png((7000, 7000))
    started = time.perf_counter()
    with translation.override("en"), pytest.raises(PhotoError, match="too many pixels"):
        process_photo(data)
    assert time.perf_counter() - started < 0.5  # decoding it in full took 2.7 s


def test_a_large_phone_jpeg_is_still_accepted_as_it_decodes_at_reduced_scale():
    processed = process_photo(jpeg((8000, 6000)))  # 48 MP, decoded at 1/4 scale
    assert max(processed.width, processed.height) <= 2048


def test_the_decoded_pixel_limit_is_a_setting(settings):
    settings.CASE_PHOTO_MAX_DECODED_PIXELS = 1_000_000
    with pytest.raises(PhotoError):
        process_photo(png((1200, 1000)))
    assert process_photo(png((1000, 1000))).width == 1000


def test_the_api_names_the_photo_field(city, api_as, media_root):
    from tests.incidents.test_api import report_body

    photo = SimpleUploadedFile("huge.png", png((20_000, 20_000)), content_type="image/png")
    body = {**report_body(), "photos": [photo]}
    response = api_as(city.worker_a).post("/api/v1/incidents/", body, format="multipart")
    assert response.status_code == 400
    assert list(response.json()) == ["photos"]
