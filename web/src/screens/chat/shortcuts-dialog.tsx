// The list of the chat's keyboard shortcuts (opened with ? or Ctrl+/).
import { Dialog } from '../../components/dialog';
import { strings } from '../../strings';

const text = strings.shortcuts;

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Dialog open={open} title={text.title} onClose={onClose}>
      <table class="shortcuts">
        <tbody>
          {text.list.map((shortcut) => (
            <tr key={shortcut.action}>
              <th scope="row">
                {shortcut.keys.map((key) => (
                  <kbd key={key}>{key}</kbd>
                ))}
              </th>
              <td>{shortcut.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="field-hint">{text.note}</p>
      <div class="actions">
        <button type="button" autofocus onClick={onClose}>
          {text.close}
        </button>
      </div>
    </Dialog>
  );
}
