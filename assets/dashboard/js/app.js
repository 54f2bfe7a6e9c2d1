// The dashboard's entry point: a hash router over three pages.
//   #/executions?dag=&status=&page=   the executions list
//   #/executions/<id>?task=<task>     one execution
//   #/dags                            the DAG files
//   #/dags/file?path=<path>           one DAG file

import { adoptTokenFromUrl } from './api.js';
import { parseHash, showError } from './format.js';
import { renderDagFile, renderDagList } from './views/dags.js';
import { renderExecution } from './views/execution.js';
import { renderExecutions } from './views/executions.js';

const main = document.getElementById('main');
let current; // { key, controller, update? }

function route() {
  const { parts, query } = parseHash(window.location.hash || '#/executions');
  const [page = 'executions', id] = parts;
  const key = `${page}/${id ?? ''}`;
  // Same execution page with another selected task: let the page update itself.
  if (current && current.key === key && current.update) {
    current.update(query);
    return;
  }
  current?.controller.abort();
  const controller = new AbortController();
  current = { key, controller };
  main.replaceChildren();
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const ctx = { root: main, query, signal: controller.signal };
  let result;
  if (page === 'executions' && id) result = renderExecution({ ...ctx, id });
  else if (page === 'dags' && id === 'file')
    result = renderDagFile({ ...ctx, path: query.get('path') ?? '' });
  else if (page === 'dags') result = renderDagList(ctx);
  else result = renderExecutions(ctx);
  Promise.resolve(result)
    .then((r) => {
      if (r?.update && current?.controller === controller) current.update = r.update;
      const heading = main.querySelector('h1');
      if (heading && document.activeElement === document.body) heading.setAttribute('tabindex', '-1');
    })
    .catch((error) => showError(main, error));
}

adoptTokenFromUrl();
window.addEventListener('hashchange', route);
route();
