"""The application: settings, local protocol, forms and database, opened once per process.

The window and every command go through one :class:`Application` (as Anki's front ends go
through its collection): the window's services *are* this object, so a rule of where files go,
which settings apply or how a meeting is signed is written once, here or in the core it calls.
Nothing here imports Qt; expensive parts (SQLAlchemy, the database) open only when first used,
so a calendar sum never touches the database.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from s47desk.errors import UserError
from s47desk.forms import FormDefinition, FormError, FormRegistry, load_forms
from s47desk.paths import config_dir, data_dir
from s47desk.protocol import Protocol, ProtocolError, load_protocol
from s47desk.settings import LoadedSettings, Settings, load_settings, save_settings
from s47desk.workdays import Region

if TYPE_CHECKING:
    from cryptography.x509 import Certificate

    from s47desk.audit import Actor
    from s47desk.audit import Entry as AuditEntry
    from s47desk.journal import Journal
    from s47desk.models import Meeting
    from s47desk.record.certificate import SigningIdentity
    from s47desk.recovery import Recovered
    from s47desk.saving import Batch, Outcome
    from s47desk.signoff import SignedResult
    from s47desk.storage import Database


class ConfigurationError(ValueError, UserError):
    """A file named on the command line (protocol, forms) cannot be used; nothing was done."""


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def today() -> date:
    """Today, or ``S47DESK_TODAY`` (YYYY-MM-DD) for training sessions and tests."""
    fixed = os.environ.get("S47DESK_TODAY", "")
    if fixed and _DATE.fullmatch(fixed):
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            pass
    return date.today()


@dataclass
class Application:
    """What the window and the command line share. Build with :meth:`open`.

    ``problems`` lists what was ignored on the way (a mistyped setting, a missing local
    protocol file named in settings): each front end shows them, and carries on with defaults.
    """

    loaded: LoadedSettings
    protocol: Protocol
    forms: FormRegistry
    db_url: str | None = None
    clock: Callable[[], date] = today
    problems: list[str] = field(default_factory=list)
    _db: Database | None = None
    _journal: Journal | None = None

    # -- building ---------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        *,
        db_url: str | None = None,
        protocol_file: str | Path | None = None,
        forms_dir: Path | None = None,
        settings: LoadedSettings | None = None,
        clock: Callable[[], date] = today,
    ) -> Application:
        """Settings (never fatal), then the protocol and forms.

        A protocol or forms folder named explicitly (*protocol_file*, *forms_dir*) must load:
        otherwise ConfigurationError. One named only in settings that cannot be read is
        reported in ``problems`` and the guidance defaults are used instead.
        """
        loaded = settings or load_settings()
        problems = [str(p) for p in loaded.problems]
        protocol = _protocol(loaded.settings, protocol_file, problems)
        forms = _forms(loaded.settings, forms_dir, problems)
        url = db_url or os.environ.get("S47DESK_DB") or loaded.settings.database_url or None
        return cls(loaded, protocol, forms, url, clock, problems)

    @property
    def settings(self) -> Settings:
        return self.loaded.settings

    def today(self) -> date:
        return self.clock()

    def apply_settings(self, settings: Settings) -> None:
        """Save the user's new settings and take them into use (protocol and forms too)."""
        save_settings(settings, keep=self.loaded.unknown)
        self.loaded = LoadedSettings(settings, (), self.loaded.organisation, self.loaded.unknown)
        problems: list[str] = []
        self.protocol = _protocol(settings, None, problems)
        self.forms = _forms(settings, None, problems)
        self.problems = problems

    # -- the database ---------------------------------------------------------------------
    @property
    def db(self) -> Database:
        """The database, opened (checked, backed up, migrated) on first use."""
        if self._db is None:
            from s47desk.storage import open_database

            self._db = open_database(self.db_url)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- editing a meeting (the window's path, Qt-free so the crash test drives it too) ------
    def actor(self) -> Actor:
        """Who is acting, for the audit trail: the name in settings and the login."""
        from s47desk.audit import Actor

        return Actor.local(self.settings.user_name or self.settings.chair_name)

    @property
    def journal(self) -> Journal:
        """The recovery journal beside the database (edits not saved yet)."""
        if self._journal is None:
            from s47desk.journal import Journal, journal_path

            db = self.db
            self._journal = Journal(journal_path(db.sqlite_path, db.url, data_dir()))
        return self._journal

    def load_meeting(self, meeting_id: int) -> Meeting:
        """The meeting's whole record in memory, detached from the database."""
        from s47desk.graph import load
        from s47desk.meetings import MeetingNotFound

        with self.db.sessions() as session:
            meeting = load(session, meeting_id)
        if meeting is None:
            raise MeetingNotFound(f"there is no meeting {meeting_id}")
        return meeting

    def meeting_state(self, meeting_uid: str) -> tuple[int, str] | None:
        """The meeting's revision and status as stored now (a cheap read), or None."""
        from sqlalchemy import select

        from s47desk.models import Meeting

        with self.db.engine.connect() as connection:
            row = connection.execute(
                select(Meeting.revision, Meeting.status).where(Meeting.uid == meeting_uid)
            ).first()
        return (int(row[0]), str(row[1].value)) if row else None

    def save(self, batch: Batch) -> Outcome:
        """Save one batch of edits in its own transaction (safe to run on a worker thread)."""
        from s47desk.editing import MeetingGone, MeetingLocked, SaveFailed, save_edits
        from s47desk.saving import Outcome

        try:
            saved = save_edits(self.db, batch.meeting_uid, batch.edits, self.actor())
        except SaveFailed as exc:
            return Outcome(failed=str(exc))
        except (MeetingLocked, MeetingGone) as exc:
            return Outcome(locked=str(exc))
        return Outcome(saved=saved, conflicts=saved.conflicts)

    # -- signing ------------------------------------------------------------------------------
    def certificate_authority(self) -> Certificate | None:
        """The organisation's CA certificate from settings, if one is named (else None)."""
        if not self.settings.certificate_authority:
            return None
        from s47desk.record.ca import load_ca_certificate

        return load_ca_certificate(self.settings.certificate_authority)

    def sign(
        self,
        meeting_id: int,
        identity: SigningIdentity,
        *,
        name: str,
        role: str,
        on_behalf_of: str = "",
    ) -> SignedResult:
        """The chair signs: one committed transaction, then read back from the database.

        Refused (a UserError saying why) while any blocker stands, when the certificate does
        not fit the chair, or when the meeting is already signed; nothing is written then.
        """
        from sqlalchemy import select

        from s47desk.graph import load
        from s47desk.meetings import MeetingNotFound
        from s47desk.models import Meeting
        from s47desk.signoff import read_back, sign_in_session

        ca = self.certificate_authority()
        with self.db.transaction() as session:
            session.info["actor"] = self.actor()
            if not self.db.is_sqlite:  # SQLite's BEGIN IMMEDIATE already serialises writers
                session.execute(
                    select(Meeting.id).where(Meeting.id == meeting_id).with_for_update()
                )
            meeting = load(session, meeting_id)
            if meeting is None:
                raise MeetingNotFound(f"there is no meeting {meeting_id}")
            sign_in_session(
                session,
                meeting,
                forms=self.forms,
                protocol=self.protocol,
                identity=identity,
                name=name,
                role=role,
                on_behalf_of=on_behalf_of,
                ca=ca,
            )
        with self.db.sessions() as session:
            stored = load(session, meeting_id)
            assert stored is not None
            return read_back(session, stored)

    # -- amendments and the audit trail -----------------------------------------------------
    def amend(self, meeting_id: int, reason: str) -> int:
        """A draft amendment of a signed meeting (a new record version); its id."""
        from s47desk.amendments import amend
        from s47desk.graph import load
        from s47desk.meetings import MeetingNotFound

        with self.db.transaction() as session:
            session.info["actor"] = self.actor()
            meeting = load(session, meeting_id)
            if meeting is None:
                raise MeetingNotFound(f"there is no meeting {meeting_id}")
            return int(amend(session, meeting, reason=reason).id)

    def audit_trail(self, meeting_id: int) -> tuple[list[AuditEntry], list[str]]:
        """The meeting's audit trail, oldest first, and what is wrong with it ([] if whole)."""
        from sqlalchemy import select

        from s47desk import audit
        from s47desk.meetings import MeetingNotFound
        from s47desk.models import Meeting

        with self.db.engine.connect() as connection:
            row = connection.execute(
                select(Meeting.uid, Meeting.audit_head).where(Meeting.id == meeting_id)
            ).first()
            if row is None:
                raise MeetingNotFound(f"there is no meeting {meeting_id}")
            trail = audit.entries(connection, row[0])
        return trail, audit.verify(trail, row[0], row[1])

    # -- backups ----------------------------------------------------------------------------
    def database_file(self) -> Path | None:
        """The SQLite file in use (None for a server database), without opening it."""
        from sqlalchemy.engine import make_url

        from s47desk.database_file import file_of
        from s47desk.paths import default_database_url

        return file_of(make_url(self.db_url or default_database_url()))

    def backup(self, dest: Path | None = None) -> Path:
        """A consistent copy of the database now (SQLite's online backup); its path."""
        from s47desk.backup import backup_database, default_backups_dir, manual_backup

        path = self._sqlite_for("back up")
        return backup_database(path, dest) if dest else manual_backup(path, default_backups_dir())

    def daily_backup(self) -> Path | None:
        """The first start of each day keeps a backup (7 daily and 4 weekly are kept)."""
        from s47desk.backup import daily_backup, default_backups_dir

        path = self.database_file()
        if path is None:
            return None
        return daily_backup(path, default_backups_dir(), self.today()).written

    def restore(self, backup: Path, *, window_lock_held: bool = False) -> Path | None:
        """Replace the database with *backup* (refused if it is damaged or not s47desk's); the
        replaced database is kept as a backup, whose path is returned. Refused while a window
        has the database open, unless the caller is that window (*window_lock_held*)."""
        from s47desk.backup import default_backups_dir, restore_database
        from s47desk.instance import InstanceLock

        path = self._sqlite_for("restore")
        self.close()
        lock = InstanceLock(path)
        if not window_lock_held:
            lock.acquire("a restore")
        try:
            restored = restore_database(backup, path, default_backups_dir())
        finally:
            lock.release()
        return restored.kept

    def _sqlite_for(self, what: str) -> Path:
        from s47desk.backup import server_backup_message
        from s47desk.paths import default_database_url

        path = self.database_file()
        if path is None:
            raise ConfigurationError(server_backup_message(self.db_url or default_database_url()))
        return path

    def waiting_since(self, meeting_uid: str) -> datetime | None:
        """When the earliest of an earlier run's journalled edits of this meeting was made, while
        they are not yet stored (the window keeps the meeting read-only meanwhile); else None."""
        times = [j.at for j in self.journal.left_by_earlier_run() if j.meeting_uid == meeting_uid]
        return min(times) if times else None

    def recover(self) -> Recovered:
        """Replay what the recovery journal holds from an earlier run (after a crash)."""
        from s47desk.recovery import replay

        return replay(self.db, self.journal, self.actor())

    # -- forms ----------------------------------------------------------------------------
    def form(self, form_id: str) -> FormDefinition:
        return self.forms.get(form_id)

    # -- where files go -------------------------------------------------------------------
    def export_root(self) -> Path:
        """The export folder in settings; by default one in s47desk's own (owner-only) data
        folder — not Documents, which is often synced, since records hold children's data."""
        folder = self.settings.export_folder
        return Path(folder) if folder else data_dir() / "exports"

    def meeting_folder(self, reference: str) -> Path:
        """Each meeting's files in a folder named by its reference, never by a child's name."""
        return self.export_root() / reference

    def user_label(self) -> str:
        """Who is acting, as logs and the audit trail name them: their name and login."""
        import getpass

        login = getpass.getuser()
        name = self.settings.user_name or self.settings.chair_name
        return f"{name} ({login})" if name and name != login else login


def _protocol(settings: Settings, explicit: str | Path | None, problems: list[str]) -> Protocol:
    source = explicit or settings.protocol_file or None
    try:
        protocol = load_protocol(source)
    except ProtocolError as exc:
        if explicit:
            raise ConfigurationError(str(exc)) from None
        problems.append(f"{exc}; the guidance defaults are used")
        protocol = load_protocol(None)
    return protocol.with_region(Region(settings.region))


def _forms(settings: Settings, explicit: Path | None, problems: list[str]) -> FormRegistry:
    folder = explicit or (Path(settings.forms_folder) if settings.forms_folder else None)
    try:
        return load_forms(folder or config_dir() / "forms")
    except FormError as exc:
        if explicit:
            raise ConfigurationError(str(exc)) from None
        problems.append(f"{exc}; only the built-in forms are used")
        return load_forms(None)


def problems_text(problems: Sequence[str]) -> str:
    return "\n".join(f"  - {p}" for p in problems)
