import { Page } from "../components/page";
import { Link, paths } from "../router";
import { texts } from "../texts";

export function NotFoundPage() {
  return (
    <Page heading={texts.notFound.heading}>
      <p>{texts.notFound.text}</p>
      <p>
        <Link href={paths.start}>{texts.notFound.home}</Link>
      </p>
    </Page>
  );
}
