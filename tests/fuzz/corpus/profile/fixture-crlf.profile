user 7
hostname crlf
