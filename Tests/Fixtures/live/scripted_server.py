"""A misbehaving HTTP server for the client's failure tests (not a cluster double).

Usage: scripted_server.py MODE. Prints the port on the first line, then serves on 127.0.0.1 until killed.
MODE: slow (accepts, reads, never answers), not-initialized (503 "OpenSearch Security not
initialized." and counts requests in the X-Attempt header), reset (closes every connection at once),
huge (announces a 1 TiB body).
"""
import signal, socket, sys, threading, time

# A test runner may start this with signals blocked; SIGTERM must end it.
signal.pthread_sigmask(signal.SIG_UNBLOCK, set(range(1, signal.NSIG)) - {signal.SIGKILL, signal.SIGSTOP})

mode = sys.argv[1]
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen(16)
print(server.getsockname()[1], flush=True)
attempts = 0

def handle(conn):
    global attempts
    with conn:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                return
            data += chunk
        if mode == "slow":
            time.sleep(3600)
        elif mode == "not-initialized":
            attempts += 1
            body = b"OpenSearch Security not initialized."
            conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\nx-attempt: %d\r\ncontent-length: %d\r\nconnection: close\r\n\r\n%s" % (attempts, len(body), body))

        elif mode == "huge":
            conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1099511627776\r\n\r\n{")
            time.sleep(5)

while True:
    conn, _ = server.accept()
    if mode == "reset":
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        conn.close()
        continue
    threading.Thread(target=handle, args=(conn,), daemon=True).start()
