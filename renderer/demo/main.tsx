document.getElementById('root')!.textContent = 'AnyChat demo client';
