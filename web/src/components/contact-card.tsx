import { texts } from "../texts";
import { Reasons, SampleBadge } from "./badges";
import { ContactLinks } from "./contact-links";

type Props = {
  contact: {
    name: string;
    isSample: boolean;
    role?: string | null;
    phone?: string | null;
    email?: string | null;
    availability?: string | null;
    organization: { name: string; website?: string | null };
  };
  reasons: { text: string }[];
  level: 3 | 5;
};

/** One contact in a list of list items: name, organization, role, why, how to reach. */
export function ContactCard({ contact, reasons, level }: Props) {
  const Heading = level === 3 ? "h3" : "h5";
  return (
    <li class="card">
      <Heading class="card-title">
        {contact.name} <SampleBadge isSample={contact.isSample} />
      </Heading>
      <p class="meta">{texts.contact.organization(contact.organization.name)}</p>
      {contact.role && <p>{contact.role}</p>}
      <Reasons reasons={reasons} />
      <ContactLinks
        phone={contact.phone}
        email={contact.email}
        website={contact.organization.website}
        availability={contact.availability}
      />
    </li>
  );
}
