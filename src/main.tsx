// Browser entry point: fills the workspace with the samples on first run and mounts the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useAppStore } from './store/appStore';
import { App } from './ui/App';
import { SAMPLE_START_FILE } from './ui/workspace/sampleStart';
import { sampleWorkspace } from './ui/workspace/sampleWorkspace';
import './ui/styles.css';

if (Object.keys(useAppStore.getState().files).length === 0) {
  useAppStore.getState().loadWorkspace(sampleWorkspace(), SAMPLE_START_FILE);
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
