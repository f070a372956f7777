from django.urls import path

from . import views

urlpatterns = [
    path("", views.transfer_list, name="transfer_list"),
    path("new/", views.transfer_send, name="transfer_send"),
    path("matrix/", views.transfer_matrix, name="transfer_matrix"),
    path("<str:number>/", views.transfer_detail, name="transfer_detail"),
    path("<str:number>/letter/", views.transfer_letter, name="transfer_letter"),
    path("<str:number>/step/<str:step>/", views.transfer_step, name="transfer_step"),
    path("<str:number>/files/<int:pk>/", views.transfer_attachment, name="transfer_attachment"),
]
