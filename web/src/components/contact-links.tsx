import { displayUrl, telHref } from "../format";
import { texts } from "../texts";

type Props = { phone?: string | null; email?: string | null; website?: string | null; availability?: string | null };

/** How to reach someone: phone as a tel: link, e-mail, website. */
export function ContactLinks({ phone, email, website, availability }: Props) {
  if (!phone && !email && !website && !availability) return null;
  return (
    <ul class="contact-links">
      {phone && (
        <li>
          <a class="call" href={telHref(phone)}>
            {texts.contact.call(phone)}
          </a>
        </li>
      )}
      {email && (
        <li>
          {texts.contact.email}: <a href={`mailto:${email}`}>{email}</a>
        </li>
      )}
      {website && (
        <li>
          {texts.contact.website}: <a href={website}>{displayUrl(website)}</a>
        </li>
      )}
      {availability && <li>{texts.contact.availability(availability)}</li>}
    </ul>
  );
}
