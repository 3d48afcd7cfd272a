"""Citizen and public pages of complaints (staff pages: staff_urls.py)."""

from django.urls import path

from sikesal.complaints.views import citizen, photos, public

app_name = "complaints"

urlpatterns = [
    # The citizen files and follows their complaints.
    path("lapor/", citizen.file_complaint, name="file"),
    path("lapor/foto/", citizen.photo_upload, name="photo_upload"),
    path("saya/", citizen.my_complaints, name="mine"),
    path("saya/<str:tracking>/", citizen.my_complaint, name="mine_detail"),
    path("saya/<str:tracking>/<str:action>/", citizen.my_complaint_act, name="mine_act"),
    # Anyone reads public complaints.
    path("pengaduan/", public.complaint_list, name="public_list"),
    path("pengaduan/<str:tracking>/", public.complaint_detail, name="public_detail"),
    # Photos, to whoever may see them (staff, the reporter, or anyone for public ones).
    path("foto/<int:pk>/", photos.photo, name="photo"),
    path("foto/<int:pk>/kecil/", photos.photo, {"thumbnail": True}, name="photo_thumbnail"),
]
