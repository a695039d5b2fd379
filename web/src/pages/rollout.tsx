import { useEffect, useState } from "preact/hooks";
import { managerRequest, type ApiError } from "../api";
import { asApiError } from "../async";
import { SampleBadge } from "../components/badges";
import { ManagerNav } from "../components/manager-nav";
import { Progress, StatusIcon } from "../components/rollout-status";
import { LiveStatus, Notice } from "../components/notice";
import { Page } from "../components/page";
import { formatDateTime, statusLabel } from "../format";
import {
  RolloutMatrixDocument,
  type RolloutCellFragment,
  type RolloutMatrixQuery,
  type RolloutStatus,
} from "../gql/graphql";
import { paths } from "../router";
import { signOut } from "../session";
import { texts } from "../texts";
import { RolloutDialog } from "./rollout-dialog";

export type Row = RolloutMatrixQuery["rolloutMatrix"][number];
export type Cell = RolloutCellFragment;
type Region = Row["region"];

const statuses = Object.keys(texts.rolloutStatus) as RolloutStatus[];

/** The id of a cell's button: the focus returns to it after the dialog. */
const cellId = (region: Region, code: string) => `cell-${region.slug}-${code}`;

function focusCell(region: Region, code: string) {
  document.getElementById(cellId(region, code))?.focus();
}

/**
 * The rollout of the 13 measures in the manager's regions: a table of
 * regions × measures whose cells open the detail dialog.
 */
export function RolloutPage() {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [state, setState] = useState<"loading" | "idle" | ApiError>("loading");
  const [status, setStatus] = useState("");
  const [opened, setOpened] = useState<{ region: Region; code: string } | null>(null);

  const load = async () => {
    try {
      const { rolloutMatrix } = await managerRequest(RolloutMatrixDocument, {});
      setRows(rolloutMatrix);
      setState("idle");
      return rolloutMatrix;
    } catch (error) {
      setState(asApiError(error));
      return null;
    }
  };

  useEffect(() => {
    load().then((loaded) => loaded && setStatus(texts.rollout.loaded(loaded.length)));
  }, []);

  /** Replaces one cell (keeping the reach, which only the matrix computes). */
  const patch = (region: Region, cell: Cell) =>
    setRows((before) =>
      (before ?? []).map((row) =>
        row.region.id !== region.id
          ? row
          : {
              ...row,
              cells: row.cells.map((c) =>
                c.measure.code === cell.measure.code ? { ...cell, reach: cell.reach ?? c.reach } : c,
              ),
            },
      ),
    );

  /** Loads one region's row again (after a conflict) and returns the cell. */
  const reloadCell = async (region: Region, code: string): Promise<Cell | null> => {
    const { rolloutMatrix } = await managerRequest(RolloutMatrixDocument, { regionIds: [region.id] });
    const cell = rolloutMatrix[0]?.cells.find((c) => c.measure.code === code) ?? null;
    if (cell) patch(region, cell);
    return cell;
  };

  const close = () => {
    if (!opened) return;
    setOpened(null);
    focusCell(opened.region, opened.code);
  };

  const saved = (cell: Cell) => {
    if (!opened) return;
    patch(opened.region, cell);
    close();
    setStatus(texts.rollout.saved(cell.measure.code, opened.region.name, statusLabel(cell.status), cell.progress));
    // The reach of the model region counts its satellites' states: load
    // the matrix again, quietly (the table stays as it is meanwhile).
    load();
  };

  const row = opened && rows?.find((r) => r.region.id === opened.region.id);
  const cell = opened && row?.cells.find((c) => c.measure.code === opened.code);

  return (
    <Page heading={texts.rollout.heading}>
      <ManagerNav current={paths.rollout} />
      <p class="lead">{texts.rollout.intro}</p>
      <LiveStatus message={state === "loading" && !rows ? texts.rollout.loading : status} />
      {state !== "idle" && state !== "loading" && (
        <Notice kind="error">
          <p>{state.message}</p>
          {state.code === "FORBIDDEN" && (
            <p>
              <button type="button" class="button-secondary" onClick={() => signOut(null, null)}>
                {texts.manager.toSignIn}
              </button>
            </p>
          )}
        </Notice>
      )}
      {rows && rows.length === 0 && <p>{texts.rollout.none}</p>}
      {rows && rows.length > 0 && (
        <>
          <p class="hint">{texts.rollout.keyboardHint}</p>
          <Grid rows={rows} onOpen={(region, code) => setOpened({ region, code })} />
          <Legend reachAsOf={oldestReach(rows)} />
        </>
      )}
      {opened && row && cell && (
        <RolloutDialog
          key={`${row.region.id}/${cell.measure.code}`}
          region={row.region}
          cell={cell}
          onClose={close}
          onSaved={saved}
          onConflict={() => reloadCell(opened.region, opened.code)}
        />
      )}
    </Page>
  );
}

type GridProps = { rows: Row[]; onOpen: (region: Region, code: string) => void };

function Grid({ rows, onOpen }: GridProps) {
  const measures = rows[0]?.cells.map((c) => c.measure) ?? [];
  // The heading names the table; as a <caption> it would scroll away with it.
  return (
    <>
      <h2 id="rollout-grid-heading">{texts.rollout.caption}</h2>
      <div class="grid-scroll">
        <table class="rollout-grid" aria-labelledby="rollout-grid-heading" onKeyDown={moveByArrows}>
          <thead>
            <tr>
              <th scope="col" class="region-column">
                {texts.rollout.region}
              </th>
              {measures.map((m) => (
                <th scope="col" key={m.code} class="measure-column">
                  <span class="measure-code">{m.code}</span>
                  <span class="measure-title">{m.title}</span>
                  <SampleBadge isSample={m.isSample} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={row.region.id}>
                <th scope="row" class="region-column">
                  <span class="region-name">{row.region.name}</span>
                  <span class="region-kind">{texts.manager.regionKinds[row.region.kind]}</span>
                </th>
                {row.cells.map((cell, c) => (
                  <td key={cell.measure.code}>
                    <CellButton region={row.region} cell={cell} row={r} column={c} onOpen={onOpen} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

type CellProps = { region: Region; cell: Cell; row: number; column: number; onOpen: GridProps["onOpen"] };

/**
 * A cell: status in words, a symbol and a colour (never the colour alone),
 * progress as a bar and a number, and the reach.
 */
function CellButton({ region, cell, row, column, onOpen }: CellProps) {
  const code = cell.measure.code;
  const reach = cell.reach;
  return (
    <button
      type="button"
      id={cellId(region, code)}
      class={`cell status-${cell.recorded ? cell.status.toLowerCase() : "unrecorded"}`}
      data-row={row}
      data-column={column}
      aria-haspopup="dialog"
      onClick={() => onOpen(region, code)}
    >
      <span class="cell-status">
        <StatusIcon status={cell.recorded ? cell.status : null} />
        {cell.recorded ? texts.rolloutStatus[cell.status] : texts.rollout.notRecorded}
      </span>
      {cell.recorded && <Progress value={cell.progress} />}
      {reach && (
        <span class="cell-reach">
          <span>{texts.rollout.reach.events(reach.events)}</span>
          <span>{texts.rollout.reach.registrations(reach.registrations)}</span>
          <span>{texts.rollout.reach.companies(reach.companies)}</span>
          {region.kind === "MODEL_REGION" && <span>{texts.rollout.reach.satellites(reach.satellites)}</span>}
        </span>
      )}
      <span class="visually-hidden"> {texts.rollout.cellContext(code, region.name)}</span>
    </button>
  );
}

/** The oldest reach snapshot of the matrix: the reach is as of then. */
function oldestReach(rows: Row[]): string | null {
  const times = rows.flatMap((r) => r.cells.flatMap((c) => (c.reach ? [c.reach.asOf] : [])));
  return times.length ? times.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b)) : null;
}

function Legend({ reachAsOf }: { reachAsOf: string | null }) {
  return (
    <section aria-labelledby="legend-heading" class="legend">
      <h2 id="legend-heading">{texts.rollout.legendHeading}</h2>
      <ul class="legend-list">
        {statuses.map((s) => (
          <li key={s} class={`legend-item status-${s.toLowerCase()}`}>
            <StatusIcon status={s} />
            {texts.rolloutStatus[s]}
          </li>
        ))}
        <li class="legend-item status-unrecorded">
          <StatusIcon status={null} />
          {texts.rollout.notRecorded}: {texts.rollout.notRecordedExplained}
        </li>
      </ul>
      <p class="hint">
        {texts.rollout.reachExplained}
        {reachAsOf && ` ${texts.rollout.reachAsOf(formatDateTime(reachAsOf))}`}
      </p>
      <p class="hint">{texts.badges.sampleExplained}</p>
    </section>
  );
}

/** Arrow keys, Home and End move between the cell buttons of the table. */
function moveByArrows(event: KeyboardEvent) {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button.cell");
  if (!button || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const table = event.currentTarget as HTMLTableElement;
  let row = Number(button.dataset.row);
  let column = Number(button.dataset.column);
  switch (event.key) {
    case "ArrowRight":
      column += 1;
      break;
    case "ArrowLeft":
      column -= 1;
      break;
    case "ArrowDown":
      row += 1;
      break;
    case "ArrowUp":
      row -= 1;
      break;
    case "Home":
      column = 0;
      break;
    case "End":
      column = table.querySelectorAll(`button.cell[data-row="${row}"]`).length - 1;
      break;
    default:
      return;
  }
  const target = table.querySelector<HTMLButtonElement>(`button.cell[data-row="${row}"][data-column="${column}"]`);
  event.preventDefault();
  target?.focus();
}
