from django.urls import path

from notifications import views

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("notifications/read-all/", views.MarkAllReadView.as_view(), name="notifications-read-all"),
    path("notifications/<int:pk>/read/", views.MarkReadView.as_view(), name="notification-read"),
    path("notifications/<int:pk>/open/", views.OpenView.as_view(), name="notification-open"),
]
