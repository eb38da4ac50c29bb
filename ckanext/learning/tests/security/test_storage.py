"""Uploads on a disk that fills up (security/storage.py): a real, small
tmpfs as the portal's storage."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers
from werkzeug.datastructures import FileStorage

from ckanext.learning.security import storage
from ckanext.learning.tests.documents import samples

MB = 1 << 20


@pytest.fixture
def small_disk(ckan_config, monkeypatch):
    """An 8 MB tmpfs as ``ckan.storage_path``."""
    mount = tempfile.mkdtemp(prefix="learning-disk-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount], check=True)
    monkeypatch.setitem(ckan_config, "ckan.storage_path", mount)
    yield mount
    subprocess.run(["umount", mount], check=True)
    os.rmdir(mount)


def fill(mount, leave_mb):
    """Fill the disk until only ``leave_mb`` is free."""
    free = shutil.disk_usage(mount).free
    with open(os.path.join(mount, "filler"), "wb") as f:
        f.write(b"\0" * (free - leave_mb * MB))


def a_pdf(size_mb):
    content = samples.khmer_pdf()
    return content + b"\n%" + b"x" * (size_mb * MB - len(content))


def stored_files(mount):
    root = os.path.join(mount, "resources")
    return [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs]


def resources_after_the_request(dataset):
    """What is saved once the failed request ends (its session rolled back,
    as CKAN's teardown does)."""
    model.Session.remove()
    return helpers.call_action("package_show", id=dataset["id"])["resources"]


def upload_to(dataset, size_mb):
    return helpers.call_action(
        "resource_create", package_id=dataset["id"], name="Patrol report",
        upload=FileStorage(stream=io.BytesIO(a_pdf(size_mb)), filename="report.pdf"))


@pytest.mark.usefixtures("with_plugins", "clean_db")
@pytest.mark.ckan_config("ckanext.learning.upload.min_free_mb", 2)
class TestFullDisk:
    def test_a_file_that_would_leave_too_little_room_is_refused_unwritten(
            self, small_disk, org):
        dataset = factories.Dataset(owner_org=org["id"])
        fill(small_disk, leave_mb=4)
        with pytest.raises(tk.ValidationError) as info:
            upload_to(dataset, size_mb=3)
        assert "no room for this file" in str(info.value.error_dict["upload"])
        assert stored_files(small_disk) == []
        # nothing half-saved: the dataset has no resource
        assert resources_after_the_request(dataset) == []

    def test_a_disk_filled_while_writing_leaves_no_partial_file(
            self, small_disk, org, monkeypatch):
        dataset = factories.Dataset(owner_org=org["id"])
        fill(small_disk, leave_mb=2)
        # another process takes the room between the check and the write
        monkeypatch.setattr(storage.shutil, "disk_usage",
                            lambda path: shutil._ntuple_diskusage(8 * MB, 0, 8 * MB))
        with pytest.raises(tk.ValidationError) as info:
            upload_to(dataset, size_mb=3)
        assert "no room for this file" in str(info.value.error_dict["upload"])
        assert stored_files(small_disk) == []  # no <id>~ left behind
        assert resources_after_the_request(dataset) == []
        # room again: the next upload works
        monkeypatch.setattr(storage.shutil, "disk_usage", shutil.disk_usage)
        os.remove(os.path.join(small_disk, "filler"))
        resource = upload_to(dataset, size_mb=1)
        assert [os.path.basename(p) for p in stored_files(small_disk)] == [resource["id"][6:]]

    def test_the_api_answers_409_with_the_message(self, small_disk, org, app):
        sysadmin = factories.Sysadmin()
        token = factories.APIToken(user=sysadmin["name"])["token"]
        dataset = factories.Dataset(owner_org=org["id"])
        fill(small_disk, leave_mb=3)
        resp = app.post("/api/3/action/resource_create", headers={"Authorization": token},
                        data={"package_id": dataset["id"], "name": "Patrol report",
                              "upload": (io.BytesIO(a_pdf(2)), "report.pdf")})
        assert resp.status_code == 409, resp.body[:300]
        assert "no room for this file" in resp.body
        assert stored_files(small_disk) == []
