package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	coderws "github.com/coder/websocket"

	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// graphql-ws as the protocol (graphql-transport-ws) says: each misuse
// closes the connection with its code, a query that does not parse ends
// its operation with "error" (and no "complete"), a ping gets a pong.
func TestGraphQLWSProtocol(t *testing.T) {
	c := &clock{t: time.Now()}
	m, h := newTestMain(t, c, smtptest.Start(t))
	e, orga := liveEvent(t, m)
	var opened struct{ OpenLiveSession struct{ Code string } }
	mustData(t, gql(t, h, orga, `mutation($e: ID!) { openLiveSession(eventId: $e) { code } }`, map[string]any{"e": e.ID}), &opened)
	var j struct{ JoinLiveSession struct{ Token string } }
	mustData(t, gql(t, h, "", `mutation($e: String!) { joinLiveSession(eventIdOrCode: $e) { token } }`, map[string]any{"e": e.ID}), &j)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/graphql"

	dial := func(subprotocols ...string) *coderws.Conn {
		t.Helper()
		conn, _, err := coderws.Dial(ctx, url, &coderws.DialOptions{Subprotocols: subprotocols})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.CloseNow() })
		return conn
	}
	send := func(conn *coderws.Conn, msg string) {
		t.Helper()
		if err := conn.Write(ctx, coderws.MessageText, []byte(msg)); err != nil {
			t.Fatal(err)
		}
	}
	read := func(conn *coderws.Conn) (map[string]any, coderws.StatusCode) {
		t.Helper()
		_, b, err := conn.Read(ctx)
		if err != nil {
			return nil, coderws.CloseStatus(err)
		}
		var msg map[string]any
		if err := json.Unmarshal(b, &msg); err != nil {
			t.Fatalf("not JSON: %s", b)
		}
		return msg, -1
	}
	closedWith := func(what string, conn *coderws.Conn, want coderws.StatusCode) {
		t.Helper()
		for {
			msg, code := read(conn)
			if msg == nil {
				if code != want {
					t.Errorf("%s: closed with %d, want %d", what, code, want)
				}
				return
			}
		}
	}
	initialised := func(payload string) *coderws.Conn {
		t.Helper()
		conn := dial("graphql-transport-ws")
		send(conn, `{"type":"connection_init","payload":`+payload+`}`)
		if msg, code := read(conn); msg["type"] != "connection_ack" {
			t.Fatalf("connection_init: %v (close %d)", msg, code)
		}
		return conn
	}

	closedWith("no subprotocol", dial(), 4406)
	conn := dial("graphql-transport-ws")
	send(conn, `{"id":"1","type":"subscribe","payload":{"query":"{ __typename }"}}`)
	closedWith("subscribe before connection_init", conn, 4401)
	conn = dial("graphql-transport-ws")
	send(conn, `{"type":"connection_init","payload":{"Authorization":"Bearer forged"}}`)
	closedWith("a forged bearer token", conn, 4403)
	conn = initialised(`{}`)
	send(conn, `{"type":"connection_init"}`)
	closedWith("a second connection_init", conn, 4429)
	conn = initialised(`{}`)
	send(conn, `{"type":"hello"}`)
	closedWith("an unknown message", conn, 4400)

	conn = initialised(`{"Authorization":"Bearer ` + orga + `"}`)
	send(conn, `{"type":"ping"}`)
	if msg, _ := read(conn); msg["type"] != "pong" {
		t.Errorf("ping: %v, want a pong", msg)
	}
	send(conn, `{"id":"q","type":"subscribe","payload":{"query":"{ liveSession("}}`)
	msg, _ := read(conn)
	if errs, _ := msg["payload"].([]any); msg["type"] != "error" || msg["id"] != "q" || len(errs) == 0 {
		t.Errorf("a query that does not parse: %v, want an error message for q", msg)
	}
	// The moderation's subscription over the bearer from connection_init.
	sub := `{"id":"s","type":"subscribe","payload":{"query":"subscription($e: ID!) { liveSession(eventId: $e) { code open } }","variables":{"e":"` + e.ID + `"}}}`
	send(conn, sub)
	msg, _ = read(conn)
	payload, _ := msg["payload"].(map[string]any)
	data, _ := payload["data"].(map[string]any)
	session, _ := data["liveSession"].(map[string]any)
	if msg["type"] != "next" || msg["id"] != "s" || session["open"] != true {
		t.Fatalf("the moderation's subscription: %v (no complete may come after the error for q)", msg)
	}
	send(conn, sub)
	closedWith("a second subscribe with an id in use", conn, 4409)

	// A participant's subscription ends with "complete" when the client
	// completes it: no more messages for it, the connection stays.
	conn = initialised(`{}`)
	send(conn, `{"id":"p","type":"subscribe","payload":{"query":"subscription($e: ID!, $t: String) { liveSession(eventId: $e, token: $t) { open } }","variables":{"e":"`+e.ID+`","t":"`+j.JoinLiveSession.Token+`"}}}`)
	if msg, _ := read(conn); msg["type"] != "next" {
		t.Fatalf("participant: %v", msg)
	}
	send(conn, `{"id":"p","type":"complete"}`)
	send(conn, `{"type":"ping"}`)
	if msg, _ := read(conn); msg["type"] != "pong" {
		t.Errorf("after complete: %v, want the pong (nothing more for p)", msg)
	}
}
