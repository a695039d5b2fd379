import { useState } from "preact/hooks";
import { request } from "../api";
import { useAction, useAsync } from "../async";
import { ActionButton } from "../components/action-button";
import { ConfirmDialog } from "../components/confirm-dialog";
import { EventCard } from "../components/event-card";
import { LiveStatus, Notice } from "../components/notice";
import { Page } from "../components/page";
import { saveJSON } from "../download";
import { formatDate } from "../format";
import {
  CancelRegistrationDocument,
  DeleteMyDataDocument,
  MyDataDocument,
  MyRegistrationsDocument,
  type MyRegistrationsQuery,
} from "../gql/graphql";
import type { Location } from "../router";
import { texts } from "../texts";

type Action = "cancel" | "export" | "delete";

export function ManagePage({ params }: Location) {
  const token = params.get("token");
  return (
    <Page heading={texts.manage.heading}>
      {token ? <Manage token={token} /> : <p class="notice notice-error">{texts.manage.noToken}</p>}
    </Page>
  );
}

function Manage({ token }: { token: string }) {
  const [list, reload] = useAsync(() => request(MyRegistrationsDocument, { token }), [token]);
  const [confirming, setConfirming] = useState<"cancel" | "delete" | null>(null);
  const [deleted, setDeleted] = useState(false);
  const [round, setRound] = useState(0);
  const [outcome, run] = useAction(async (action: Action): Promise<string> => {
    switch (action) {
      case "cancel": {
        const { cancelRegistration } = await request(CancelRegistrationDocument, { token });
        reload();
        return texts.manage.cancelled(cancelRegistration.event.title);
      }
      case "export": {
        const { myData } = await request(MyDataDocument, { token });
        saveJSON(texts.manage.exportFile, myData);
        return texts.manage.exported;
      }
      case "delete":
        await request(DeleteMyDataDocument, { token });
        setDeleted(true);
        return texts.manage.deleted;
    }
  });
  const start = (action: Action) => {
    setConfirming(null);
    setRound((n) => n + 1);
    run(action);
  };

  let status = "";
  if (list.status === "loading") status = texts.manage.loading;
  if (outcome.status === "loading") status = texts.manage.working;

  const registrations = list.status === "done" ? list.data.myRegistrations : [];
  const active = registrations.some((r) => r.status !== "CANCELLED");

  return (
    <>
      <p class="lead">{texts.manage.intro}</p>
      <LiveStatus message={status} />
      {list.status === "error" && (
        <p role="alert" class="notice notice-error">
          {list.error.message}
        </p>
      )}
      {outcome.status === "done" && (
        <Notice kind="success" key={round}>
          {outcome.data}
        </Notice>
      )}
      {outcome.status === "error" && (
        <Notice kind="error" key={round}>
          {outcome.error.message}
        </Notice>
      )}
      {list.status === "done" && !deleted && (
        <>
          {registrations.length === 0 && <p>{texts.manage.none}</p>}
          <ol class="cards">
            {registrations.map((r) => (
              <li key={r.id}>
                <RegistrationCard registration={r} />
              </li>
            ))}
          </ol>
          <section aria-labelledby="actions-heading" class="actions-list">
            <h2 id="actions-heading">{texts.manage.actionsHeading}</h2>
            {active && (
              <ActionButton id="cancel" label={texts.manage.cancel} hint={texts.manage.cancelHint} busy={outcome.status === "loading"} onClick={() => setConfirming("cancel")} />
            )}
            <ActionButton id="export" label={texts.manage.export} hint={texts.manage.exportHint} busy={outcome.status === "loading"} onClick={() => start("export")} />
            <ActionButton id="delete" label={texts.manage.delete} hint={texts.manage.deleteHint} busy={outcome.status === "loading"} danger onClick={() => setConfirming("delete")} />
          </section>
        </>
      )}
      <ConfirmDialog
        open={confirming !== null}
        title={confirming === "delete" ? texts.manage.deleteConfirmTitle : texts.manage.cancelConfirmTitle}
        text={confirming === "delete" ? texts.manage.deleteConfirmText : texts.manage.cancelConfirmText}
        confirmLabel={confirming === "delete" ? texts.manage.deleteConfirm : texts.manage.cancelConfirm}
        onConfirm={() => confirming && start(confirming)}
        onDismiss={() => setConfirming(null)}
      />
    </>
  );
}

function RegistrationCard({ registration: r }: { registration: MyRegistrationsQuery["myRegistrations"][number] }) {
  return (
    <EventCard event={r.event} level={2}>
      <p>
        <strong class={`registration-${r.status.toLowerCase()}`}>{texts.registrationStatus[r.status]}</strong>
        {r.status === "WAITLISTED" && r.position !== null && ` – ${texts.waitlistPosition(r.position)}`}
        {" · "}
        {texts.manage.registeredAt(formatDate(r.createdAt))}
      </p>
    </EventCard>
  );
}
