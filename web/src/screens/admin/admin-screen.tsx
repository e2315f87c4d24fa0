// Administration: accounts, who may sign up, and the audit log. Only
// administrators reach it (the server answers 404 to anyone else).
import { ScreenHeading } from '../../components/screen-heading';
import { Link, type AdminSection } from '../../router';
import { admin as text } from '../../strings/admin';
import { AuditPanel } from './audit-panel';
import { BudgetsPanel } from './budgets-panel';
import { SignupPanel } from './signup-panel';
import { UserDetail } from './user-detail';
import { UsersPanel } from './users-panel';

const SECTIONS: Array<{ section: AdminSection; href: string; label: string }> = [
  { section: 'users', href: '/admin', label: text.sectionUsers },
  { section: 'signup', href: '/admin/signup', label: text.sectionSignup },
  { section: 'budgets', href: '/admin/budgets', label: text.sectionBudgets },
  { section: 'audit', href: '/admin/audit', label: text.sectionAudit },
];

export function AdminScreen({ section, userId }: { section: AdminSection; userId?: string }) {
  return (
    <main id="main" class="screen admin">
      <ScreenHeading focusKey={`${section}/${userId ?? ''}`}>{text.title}</ScreenHeading>
      <nav aria-label={text.sections} class="tabs">
        <ul>
          {SECTIONS.map((item) => (
            <li key={item.section}>
              <Link href={item.href} aria-current={item.section === section ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Section section={section} userId={userId} />
    </main>
  );
}

function Section({ section, userId }: { section: AdminSection; userId?: string }) {
  switch (section) {
    case 'signup':
      return <SignupPanel />;
    case 'audit':
      return <AuditPanel />;
    case 'budgets':
      return <BudgetsPanel />;
    default:
      return userId ? <UserDetail key={userId} userId={userId} /> : <UsersPanel />;
  }
}
