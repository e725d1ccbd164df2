from django.urls import path

from grids.api import views

urlpatterns = [
    path("grids/locate/", views.LocateView.as_view(), name="api-grid-locate"),
    path("grids/geojson/", views.GridsGeoJSONView.as_view(), name="api-grids-geojson"),
    path("townships/geojson/", views.TownshipsGeoJSONView.as_view(), name="api-townships-geojson"),
    path("cameras/geojson/", views.CamerasGeoJSONView.as_view(), name="api-cameras-geojson"),
    path("cameras/nearest/", views.NearestCamerasView.as_view(), name="api-cameras-nearest"),
]
