"""Size limits shared by the servers and the widgets that upload files."""

# A phone photo for the order agreement may be this large. Larger files are refused with a message.
PHOTO_LIMIT_BYTES = 20 * 1024 * 1024
# An upload reaches the kernel in one websocket message. Tornado's default limit (10 MiB) refuses a
# phone photo and drops the connection, so both servers raise it to the photo limit plus room for
# the message around the file.
WEBSOCKET_LIMIT_BYTES = PHOTO_LIMIT_BYTES + 4 * 1024 * 1024
