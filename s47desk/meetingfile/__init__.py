"""The meeting file: one whole meeting as versioned JSON, for moving meetings and for scripting."""

from s47desk.meetingfile.reader import MeetingFileError, parse_meeting_file, read_meeting_file
from s47desk.meetingfile.schema import FORMAT, FORMAT_VERSION, json_schema
from s47desk.meetingfile.writer import meeting_document, write_meeting_file

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MeetingFileError",
    "json_schema",
    "meeting_document",
    "parse_meeting_file",
    "read_meeting_file",
    "write_meeting_file",
]
