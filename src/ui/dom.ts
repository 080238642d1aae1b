/**
 * The only way the UI makes elements. Text always goes through textContent and attributes through
 * setAttribute: nothing from data, files or URLs can become HTML.
 */
type Child = Node | string | null | undefined | false;
type Props = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, '').toLowerCase(), v);
    else if (k === 'checked' && el instanceof HTMLInputElement) el.checked = v === true;
    else if (k === 'value' && (el instanceof HTMLInputElement || el instanceof HTMLSelectElement)) el.value = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

type Editable = HTMLInputElement | HTMLTextAreaElement;
const isEditable = (el: unknown): el is Editable => el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && /^(text|search|url|number|email)$/.test(el.type));

/**
 * Replace a container's children, keeping keyboard focus on the element with the same data-focus-key. A field
 * being typed in keeps what was typed: panels write text on change (as the user leaves the field), and a render
 * caused by something else meanwhile (a save, another tab) must not throw the unsaved text away.
 */
export function rerender(container: HTMLElement, ...children: Child[]): void {
  const active = document.activeElement;
  const key = active instanceof HTMLElement && container.contains(active) ? active.dataset['focusKey'] : undefined;
  const typed = key && isEditable(active) && !active.readOnly ? { value: active.value, start: active.selectionStart, end: active.selectionEnd } : null;
  container.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
  if (!key) return;
  const next = container.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`);
  next?.focus();
  // Set after focusing, so leaving the field still reports the change.
  if (typed && isEditable(next) && next.value !== typed.value) {
    next.value = typed.value;
    try {
      next.setSelectionRange(typed.start, typed.end);
    } catch {
      // number fields have no selection
    }
  }
}
